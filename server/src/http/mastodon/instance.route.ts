import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS } from '../../domain/accounts/account.ts';
import { POST_LIMITS } from '../../domain/posts/post.ts';
import { MEDIA_LIMITS } from '../../domain/media/media.ts';
import { SUPPORTED_MIME_TYPES } from '../../domain/media/image-processor.ts';
import { TAG_LIMITS } from '../../domain/tags/tag-service.ts';
import { ALL_SCOPES } from '../../domain/auth/scopes.ts';
import { notFound } from '../../errors.ts';
import { presentAccount } from './presenters/account.presenter.ts';
import { type ActivityWeek, rulesOf } from '../../domain/instance/instance-repository.ts';
import { plainToHtml } from '../text-html.ts';

/** Activity is recomputed at most this often (it is public and counts twelve weeks of rows). */
const ACTIVITY_CACHE_MS = 60 * 60 * 1000;

export const VERSION = '0.1.0';
/** Mastodon clients read features from the version string; we speak the 4.3 API. */
const MASTODON_COMPAT = `4.3.0 (compatible; Glimpse ${VERSION})`;


export function registerInstanceRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;
  const streamingUrl = config.publicUrl.replace(/^http/, 'ws');

  const usage = async () => {
    const users = await services.repositories.accounts.countUsers();
    return { users };
  };

  /** Posts written here, from the accounts' post counters (comments are not counted there). */
  const localPosts = async () => {
    const row = await services.database.kysely
      .selectFrom('accounts')
      .select((eb) => eb.fn.sum<string | number | null>('statuses_count').as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };

  const adminContact = async () => {
    const admin = await services.database.kysely
      .selectFrom('users')
      .select('account_id')
      .where('role', '=', 'admin')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    const account = admin ? await services.repositories.accounts.findById(admin.account_id) : undefined;
    return account ? presentAccount(config, account) : null;
  };

  const configuration = {
    urls: { streaming: streamingUrl, status: null },
    // Every limit here is the constant its validator enforces (test/api/instance-limits.test.ts).
    accounts: { max_featured_tags: TAG_LIMITS.featuredPerAccount, max_pinned_statuses: POST_LIMITS.pinnedPerAccount },
    statuses: { max_characters: POST_LIMITS.caption, max_media_attachments: POST_LIMITS.photos, characters_reserved_per_url: POST_LIMITS.charactersReservedPerUrl },
    media_attachments: {
      // What the upload pipeline accepts, from the bytes: photos only (no video or audio).
      supported_mime_types: [...SUPPORTED_MIME_TYPES],
      description_limit: MEDIA_LIMITS.description,
      image_size_limit: MEDIA_LIMITS.bytes,
      image_matrix_limit: MEDIA_LIMITS.pixels,
      video_size_limit: 0,
      video_frame_rate_limit: 0,
      video_matrix_limit: 0,
    },
    // Glimpse refuses polls (a 422 on POST /api/v1/statuses): a poll of at most 0 options.
    polls: { max_options: 0, max_characters_per_option: 0, min_expiration: 0, max_expiration: 0 },
    translation: { enabled: false },
    accounts_limits: { display_name: LIMITS.displayName, note: LIMITS.note },
  };

  // Title, description, rules and registrations are the instance settings in force, read on
  // every call (one query of a few keys), so an admin's change shows at once in every process.
  const settings = () => services.instanceSettings.current();
  const rules = async () => rulesOf((await settings()).rules.join('\n'));

  app.get('/api/v2/instance', { config: { auth: 'none' } }, async () => {
    const s = await settings();
    return {
      domain: config.domain,
      title: s.title,
      version: MASTODON_COMPAT,
      source_url: `${config.publicUrl}/about`,
      description: s.description,
      usage: { users: { active_month: (await usage()).users } },
      thumbnail: { url: `${config.publicUrl}/static/header-missing.png` },
      icon: [],
      languages: ['en'],
      configuration: { ...configuration, vapid: { public_key: await services.push.publicKey() } },
      registrations: {
        enabled: s.registrations !== 'closed',
        approval_required: s.registrations === 'approval',
        message: null,
        url: null,
      },
      api_versions: { mastodon: 2 },
      contact: { email: '', account: await adminContact() },
      rules: rulesOf(s.rules.join('\n')),
    };
  });

  app.get('/api/v1/instance', { config: { auth: 'none' } }, async () => {
    const s = await settings();
    return {
      uri: config.domain,
      title: s.title,
      short_description: s.description,
      description: s.description,
      email: '',
      version: MASTODON_COMPAT,
      urls: { streaming_api: streamingUrl },
      stats: { user_count: (await usage()).users, status_count: await localPosts(), domain_count: 1 },
      thumbnail: `${config.publicUrl}/static/header-missing.png`,
      languages: ['en'],
      registrations: s.registrations !== 'closed',
      approval_required: s.registrations === 'approval',
      invites_enabled: false,
      configuration,
      contact_account: await adminContact(),
      rules: rulesOf(s.rules.join('\n')),
    };
  });

  // No federation yet: no peers, nothing to translate into.
  app.get('/api/v1/instance/peers', { config: { auth: 'none' } }, async () => []);
  app.get('/api/v1/instance/translation_languages', { config: { auth: 'none' } }, async () => ({}));
  app.get('/api/v1/instance/languages', { config: { auth: 'none' } }, async () => [{ code: 'en', name: 'English' }]);

  let activity: { at: number; weeks: ActivityWeek[] } | undefined;
  app.get('/api/v1/instance/activity', { config: { auth: 'none' } }, async () => {
    const now = services.clock.now();
    if (!activity || now.getTime() - activity.at >= ACTIVITY_CACHE_MS) activity = { at: now.getTime(), weeks: await services.repositories.instance.activity(now) };
    return activity.weeks;
  });

  app.get('/api/v1/instance/rules', { config: { auth: 'none' } }, async () => rules());

  // The texts are plain text as the admin set them, presented as escaped HTML paragraphs.
  app.get('/api/v1/instance/extended_description', { config: { auth: 'none' } }, async () => {
    const text = await services.repositories.instance.text('extended_description');
    return { updated_at: text?.updated_at ?? null, content: plainToHtml(text?.value ?? '') };
  });
  app.get('/api/v1/instance/privacy_policy', { config: { auth: 'none' } }, async () => {
    const text = await services.repositories.instance.text('privacy_policy');
    return { updated_at: text?.updated_at ?? null, content: plainToHtml(text?.value ?? '') };
  });
  // Without terms set there are none to show: 404, as on Mastodon.
  app.get('/api/v1/instance/terms_of_service', { config: { auth: 'none' } }, async () => {
    const text = await services.repositories.instance.text('terms_of_service');
    if (!text) throw notFound();
    return { effective_date: (text.updated_at ?? '').slice(0, 10), effective: true, content: plainToHtml(text.value), succeeded_by: null };
  });

  app.get('/.well-known/nodeinfo', { config: { auth: 'none' } }, async () => ({
    links: [{ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0', href: `${config.publicUrl}/nodeinfo/2.0` }],
  }));

  app.get('/nodeinfo/2.0', { config: { auth: 'none' } }, async (_request, reply) => {
    reply.header('Content-Type', 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"');
    const { users } = await usage();
    const s = await settings();
    return {
      version: '2.0',
      software: { name: 'glimpse', version: VERSION },
      protocols: ['activitypub'],
      services: { outbound: [], inbound: [] },
      usage: { users: { total: users, activeMonth: users, activeHalfyear: users }, localPosts: await localPosts() },
      openRegistrations: s.registrations === 'open',
      metadata: { nodeName: s.title },
    };
  });

  app.get('/.well-known/oauth-authorization-server', { config: { auth: 'none' } }, async () => ({
    issuer: `${config.publicUrl}/`,
    service_documentation: `${config.publicUrl}/about`,
    authorization_endpoint: `${config.publicUrl}/oauth/authorize`,
    token_endpoint: `${config.publicUrl}/oauth/token`,
    app_registration_endpoint: `${config.publicUrl}/api/v1/apps`,
    revocation_endpoint: `${config.publicUrl}/oauth/revoke`,
    scopes_supported: [...ALL_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
  }));
}
