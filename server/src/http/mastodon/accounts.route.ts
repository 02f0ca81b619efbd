import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify';
import type { Services } from '../../services.ts';
import { LIMITS, type AccountRow } from '../../domain/accounts/account.ts';
import type { AccountPage } from '../../domain/follows/follow-service.ts';
import { notFound } from '../../errors.ts';
import { boolish, idParam, intish, parseInput, stringList, text, z } from '../input.ts';
import { isUploadedFile, receiveUploads } from '../body-parsers.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { limitFor } from '../rate-limits.ts';
import { presentAccount, presentCredentialAccount } from './presenters/account.presenter.ts';
import { registrationInput } from './registration-input.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const acctQuery = z.object({ acct: text(200) });
const qLimitOffsetQuery = z.object({ q: text(LIMITS.searchQuery), limit: intish(1, 80).optional(), offset: intish(0, 10000).optional(), resolve: boolish.optional(), following: boolish.optional() });
const idQuery = z.object({ id: stringList(100, 32).optional() }).passthrough();
/** familiar_followers: ids asked at once, and accounts shown for each. */
const FAMILIAR_FOLLOWERS_IDS = 40;
const FAMILIAR_FOLLOWERS_SHOWN = 40;


/**
 * `fields_attributes`: a list of { name, value } (JSON) or, from forms and multipart, the
 * same keyed by position (`fields_attributes[0][name]`). The list replaces every field.
 */
const profileFieldsInput = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).sort(([a], [b]) => Number(a) - Number(b)).map(([, f]) => f) : v),
  z
    .array(z.object({ name: text(LIMITS.fieldName).optional(), value: text(LIMITS.fieldValue).optional() }).passthrough())
    .max(LIMITS.profileFields, `has too many items (maximum is ${LIMITS.profileFields})`),
);
const directoryQuery = z.object({ order: z.enum(['active', 'new']).optional(), local: boolish.optional(), limit: intish(1, 80).optional(), offset: intish(0, 10000).optional() }).passthrough();
const noteSchema = z.object({ comment: text(LIMITS.accountNote).optional().nullable() }).passthrough();
const familiarQuery = z.object({ id: stringList(FAMILIAR_FOLLOWERS_IDS, 32).optional() }).passthrough();

const updateSchema = z.object({
  display_name: text(LIMITS.displayName).optional(),
  note: text(LIMITS.note).optional(),
  locked: boolish.optional(),
  discoverable: boolish.optional(),
  bot: boolish.optional(),
  source: z.object({ privacy: text(20).optional(), sensitive: boolish.optional(), language: text(16).optional() }).passthrough().optional(),
  fields_attributes: profileFieldsInput.optional(),
}).passthrough();

export function registerAccountRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;
  const present = (a: AccountRow) => presentAccount(config, a);

  const credentialAccount = async (accountId: string) => {
    const [account, user, requests] = await Promise.all([
      services.repositories.accounts.findById(accountId),
      services.repositories.accounts.findUser(accountId),
      services.database.kysely.selectFrom('follow_requests').select((eb) => eb.fn.countAll().as('n')).where('target_account_id', '=', accountId).executeTakeFirst(),
    ]);
    if (!account || !user) throw notFound();
    return presentCredentialAccount(config, account, user, Number(requests?.n ?? 0));
  };

  app.post('/api/v1/accounts', { config: { auth: 'app', scope: 'write:accounts', ...limitFor(config, 'registration') } }, async (request) => {
    const input = parseInput(registrationInput, request.body);
    const account = await services.accounts.register({ ...input, ip: request.ip });
    const principal = request.principal!;
    const scopes = principal.scopes;
    return services.auth.issue({ appId: principal.appId, accountId: account.id, scopes, withRefresh: true });
  });

  app.get('/api/v1/accounts/verify_credentials', { config: { auth: 'user', scope: 'profile' } }, async (request) =>
    credentialAccount(requireViewer(request.viewer).accountId),
  );

  app.patch('/api/v1/accounts/update_credentials', { config: { auth: 'user', scope: 'write:accounts', uploads: ['avatar', 'header'] } }, async (request) => {
    const viewer = requireViewer(request.viewer);
    // A multipart body streams its images to disk once the account has an upload slot.
    await receiveUploads(request, () => services.media.uploadReceiver(viewer), async (body) => {
      const input = parseInput(updateSchema, body);
      // New profile images go through the media pipeline first: a refused one (422) stops the update.
      for (const purpose of ['avatar', 'header'] as const) {
        const file = body[purpose];
        if (isUploadedFile(file)) await services.media.setProfileImage(viewer, purpose, file);
      }
      await services.accounts.updateCredentials(viewer, {
        displayName: input.display_name,
        note: input.note,
        locked: input.locked ?? (input.source?.privacy ? input.source.privacy === 'private' : undefined),
        discoverable: input.discoverable,
        fields: input.fields_attributes?.map((f) => ({ name: f.name ?? '', value: f.value ?? '' })),
      });
    });
    return credentialAccount(viewer.accountId);
  });

  for (const purpose of ['avatar', 'header'] as const) {
    app.delete(`/api/v1/profile/${purpose}`, { config: { auth: 'user', scope: 'write:accounts' } }, async (request) => {
      const viewer = requireViewer(request.viewer);
      await services.media.removeProfileImage(viewer, purpose);
      return credentialAccount(viewer.accountId);
    });
  }

  // What the account uses by default; Glimpse keeps no settings for these beyond privacy.
  app.get('/api/v1/preferences', { config: { auth: 'user', scope: 'read:accounts' } }, async (request) => {
    const account = await services.accounts.self(requireViewer(request.viewer));
    return {
      'posting:default:visibility': account.locked ? 'private' : 'public',
      'posting:default:sensitive': false,
      'posting:default:language': null,
      'reading:expand:media': 'default',
      'reading:expand:spoilers': false,
      'reading:autoplay:gifs': false,
    };
  });

  app.get('/api/v1/accounts/familiar_followers', { config: { auth: 'user', scope: 'read:follows' } }, async (request) => {
    const q = parseInput(familiarQuery, request.query);
    const answer = await services.follows.familiarFollowers(requireViewer(request.viewer), q.id ?? [], FAMILIAR_FOLLOWERS_SHOWN);
    return answer.map((entry) => ({ id: entry.id, accounts: entry.accounts.map(present) }));
  });

  app.get('/api/v1/endorsements', { config: { auth: 'user', scope: 'read:accounts' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 40, 80);
    return sendPage(request, reply, await services.follows.endorsements(request.viewer, requireViewer(request.viewer).accountId, paging), paging.limit);
  });

  app.get('/api/v1/accounts/:id/endorsements', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request, reply) => {
    const { id } = parseInput(idParam, request.params);
    const paging = parsePaging(request.query, 40, 80);
    return sendPage(request, reply, await services.follows.endorsements(request.viewer, id, paging), paging.limit);
  });

  // Identity proofs (Keybase) are gone from Mastodon; the account must exist and be visible.
  app.get('/api/v1/accounts/:id/identity_proofs', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.accounts.get(request.viewer, id);
    return [];
  });

  app.get('/api/v1/directory', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request) => {
    const q = parseInput(directoryQuery, request.query);
    // Every account here is local: `local` changes nothing.
    const rows = await services.accounts.directory(request.viewer, q.order ?? 'active', q.limit ?? 40, q.offset ?? 0);
    return rows.map(present);
  });

  app.get('/api/v1/accounts/lookup', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request) => {
    const { acct } = parseInput(acctQuery, request.query);
    return present(await services.accounts.lookup(request.viewer, acct));
  });

  app.get('/api/v1/accounts/search', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request) => {
    const q = parseInput(qLimitOffsetQuery, request.query);
    const rows = await services.accounts.search(request.viewer, q.q, q.limit ?? 40, q.offset ?? 0);
    return rows.map(present);
  });

  app.get('/api/v1/accounts/relationships', { config: { auth: 'user', scope: 'read:follows' } }, async (request) => {
    const q = parseInput(idQuery, request.query);
    return services.follows.relationshipsFor(requireViewer(request.viewer), q.id ?? []);
  });

  app.get('/api/v1/accounts/:id', { config: { auth: 'optional', scope: 'read:accounts' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return present(await services.accounts.get(request.viewer, id));
  });

  const sendPage = (request: FastifyRequest, reply: FastifyReply, page: AccountPage, limit: number) => {
    setLinkHeader(request, reply, config.publicUrl, page.edges.map((e) => e.id), limit);
    return page.accounts.map(present);
  };

  for (const direction of ['followers', 'following'] as const) {
    app.get(`/api/v1/accounts/:id/${direction}`, { config: { auth: 'optional', scope: 'read:accounts' } }, async (request, reply) => {
      const { id } = parseInput(idParam, request.params);
      const paging = parsePaging(request.query, 40, 80);
      return sendPage(request, reply, await services.follows.list(request.viewer, id, direction, paging), paging.limit);
    });
  }

  const followSchema = z.object({ reblogs: boolish.optional(), notify: boolish.optional(), languages: stringList(20, 16).optional() }).passthrough();
  const muteSchema = z.object({ notifications: boolish.optional(), duration: intish(0, 10 * 365 * 86400).optional() }).passthrough();

  const actions: Array<[string, string, (viewerId: ReturnType<typeof requireViewer>, id: string, body: unknown) => Promise<unknown>]> = [
    ['follow', 'write:follows', (v, id, body) => (parseInput(followSchema, body), services.follows.follow(v, id))],
    ['unfollow', 'write:follows', (v, id) => services.follows.unfollow(v, id)],
    ['remove_from_followers', 'write:follows', (v, id) => services.follows.removeFromFollowers(v, id)],
    ['block', 'write:blocks', (v, id) => services.follows.block(v, id)],
    ['unblock', 'write:blocks', (v, id) => services.follows.unblock(v, id)],
    ['mute', 'write:mutes', (v, id, body) => {
      const m = parseInput(muteSchema, body);
      return services.follows.mute(v, id, { notifications: m.notifications ?? true, durationSeconds: m.duration ?? 0 });
    }],
    ['unmute', 'write:mutes', (v, id) => services.follows.unmute(v, id)],
    // Endorsements: `pin`/`unpin`, and the names Mastodon 4.4 gave them.
    ['pin', 'write:accounts', (v, id) => services.follows.endorse(v, id)],
    ['unpin', 'write:accounts', (v, id) => services.follows.unendorse(v, id)],
    ['endorse', 'write:accounts', (v, id) => services.follows.endorse(v, id)],
    ['unendorse', 'write:accounts', (v, id) => services.follows.unendorse(v, id)],
    ['note', 'write:accounts', (v, id, body) => services.follows.setNote(v, id, parseInput(noteSchema, body).comment ?? '')],
  ];
  for (const [action, scope, run] of actions) {
    app.post(`/api/v1/accounts/:id/${action}`, { config: { auth: 'user', scope } }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      return run(requireViewer(request.viewer), id, request.body);
    });
  }

  app.get('/api/v1/follow_requests', { config: { auth: 'user', scope: 'read:follows' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 40, 80);
    return sendPage(request, reply, await services.follows.ownList(requireViewer(request.viewer), 'follow_requests', paging), paging.limit);
  });
  for (const verdict of ['authorize', 'reject'] as const) {
    app.post(`/api/v1/follow_requests/:id/${verdict}`, { config: { auth: 'user', scope: 'write:follows' } }, async (request) => {
      const { id } = parseInput(idParam, request.params);
      const viewer = requireViewer(request.viewer);
      return verdict === 'authorize' ? services.follows.authorize(viewer, id) : services.follows.reject(viewer, id);
    });
  }
  app.get('/api/v1/blocks', { config: { auth: 'user', scope: 'read:blocks' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 40, 80);
    return sendPage(request, reply, await services.follows.ownList(requireViewer(request.viewer), 'blocks', paging), paging.limit);
  });
  app.get('/api/v1/mutes', { config: { auth: 'user', scope: 'read:mutes' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 40, 80);
    return sendPage(request, reply, await services.follows.ownList(requireViewer(request.viewer), 'mutes', paging), paging.limit);
  });
}

