import Fastify, { type FastifyInstance, LogController } from 'fastify';
import cookie from '@fastify/cookie';
import type { Config } from './config.ts';
import { type Clock, systemClock } from './clock.ts';
import { type DatabaseHandle, openDatabase } from './db/database.ts';
import { NodeLease } from './db/node-lease.ts';
import { loggerOptions } from './logger.ts';
import { loadOrCreateSecret } from './secret.ts';
import { type Services, buildServices } from './services.ts';
import { registerAuthentication } from './http/authentication.ts';
import { registerBodyParsers, parseQueryString } from './http/body-parsers.ts';
import { registerErrorHandling } from './http/errors.plugin.ts';
import { registerCors } from './http/cors.ts';
import { registerRateLimits } from './http/rate-limits.ts';
import { RedisPubSub } from './infra/pubsub/redis-pub-sub.ts';
import { RedisPresence } from './infra/pubsub/presence.ts';
import { recordRoutes } from './http/route-table.ts';
import { registerSecurityHeaders } from './http/web/security-headers.ts';
import { registerWebClient } from './http/web/spa.route.ts';
import { registerAppRoutes } from './http/mastodon/apps.route.ts';
import { registerInstanceRoutes } from './http/mastodon/instance.route.ts';
import { registerAccountRoutes } from './http/mastodon/accounts.route.ts';
import { registerNotificationRoutes } from './http/mastodon/notifications.route.ts';
import { registerStatusRoutes } from './http/mastodon/statuses.route.ts';
import { registerScheduledStatusRoutes } from './http/mastodon/scheduled-statuses.route.ts';
import { registerTimelineRoutes } from './http/mastodon/timelines.route.ts';
import { registerListRoutes } from './http/mastodon/lists.route.ts';
import { registerConversationRoutes } from './http/mastodon/conversations.route.ts';
import { registerPushRoutes } from './http/mastodon/push.route.ts';
import { registerTagRoutes } from './http/mastodon/tags.route.ts';
import { registerFilterRoutes } from './http/mastodon/filters.route.ts';
import { registerPostPageRoutes } from './http/web/post-page.route.ts';
import { registerProfilePageRoutes } from './http/web/profile-page.route.ts';
import { registerStoryRoutes } from './http/glimpse/stories.route.ts';
import { registerCommentRoutes } from './http/glimpse/comments.route.ts';
import { registerGlimpseConversationRoutes } from './http/glimpse/conversations.route.ts';
import { registerReportRoutes } from './http/mastodon/reports.route.ts';
import { registerAdminRoutes } from './http/mastodon/admin.route.ts';
import { registerInstanceSettingsRoutes } from './http/glimpse/instance-settings.route.ts';
import { registerSearchRoutes } from './http/mastodon/search.route.ts';
import { registerStreamingRoutes } from './http/mastodon/streaming.route.ts';
import { registerOAuthRoutes } from './http/oauth/oauth.route.ts';
import { registerSessionRoutes } from './http/glimpse/session.route.ts';
import { registerPasswordResetRoutes } from './http/glimpse/password-resets.route.ts';
import { registerEmailRoutes } from './http/glimpse/email.route.ts';
import { registerEmailConfirmationRoutes } from './http/mastodon/emails.route.ts';
import { registerTwoFactorRoutes } from './http/glimpse/two-factor.route.ts';
import { registerAccountDeletionRoutes } from './http/glimpse/account-deletion.route.ts';
import { registerDataPortabilityRoutes } from './http/glimpse/data-portability.route.ts';
import { registerMediaRoutes } from './http/mastodon/media.route.ts';
import { registerMediaFileRoutes } from './http/web/media-files.route.ts';
import { registerCustomEmojiRoutes } from './http/mastodon/custom-emojis.route.ts';
import { registerTrendRoutes } from './http/mastodon/trends.route.ts';
import { registerSuggestionRoutes } from './http/mastodon/suggestions.route.ts';
import { registerMetricsRoute } from './http/metrics.route.ts';
import { Metrics } from './infra/metrics/metrics.ts';
import { registerHealthRoutes } from './http/health.route.ts';
import { requestLogLine } from './logger.ts';

/** How often a process that works uploads looks for ones left waiting (a dead holder, a `web` process's while no worker ran). */
const MEDIA_RESUME_INTERVAL_MS = 15_000;

export interface GlimpseApp {
  http: FastifyInstance;
  services: Services;
  /** The id node this process leased (db/ids.ts, db/node-lease.ts). */
  readonly idNode: number;
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  /** An already-open database (tests); otherwise opened from config. */
  database?: DatabaseHandle;
  logger?: boolean;
  /** Where the log's lines go instead of stdout (tests read them). */
  logStream?: NodeJS.WritableStream;
}

/** The composition root: picks the adapters from config and builds the HTTP app. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<GlimpseApp> {
  const clock = options.clock ?? systemClock;
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteReadWorkers: config.sqliteReadWorkers }));
  // Before anything issues an id: ids are unique across processes by their leased node.
  const nodeLease = await NodeLease.acquire(database.kysely, clock);
  const secret = loadOrCreateSecret(config.secret, config.dataDir, options.database === undefined);
  const services = buildServices(config, database, clock, secret);

  const http = Fastify({
    logger: options.logger === false ? false : loggerOptions(config.logLevel, options.logStream),
    trustProxy: config.trustProxy as boolean | string,
    bodyLimit: 1024 * 1024,
    routerOptions: { querystringParser: (q: string) => parseQueryString(q), ignoreTrailingSlash: true },
    // One line per answered request is written below (requestLogLine), in place of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });

  recordRoutes(http);
  const metrics = new Metrics({
    caches: { post_content: services.caches.postContent, filter_rules: services.caches.filterRules, viewer_relations: services.caches.viewerRelations, status_json: services.caches.statusJson, account_json: services.caches.accountJson, story_trays: services.caches.trays },
    jobsAdmin: services.jobsAdmin,
    queues: { media: services.mediaQueue },
    database,
    processMetrics: config.metricsToken !== '',
  });
  http.addHook('onResponse', async (request, reply) => {
    metrics.requestAnswered(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    // Built only when it is written: at `warn` (the benchmark's level) a request costs no log work.
    if ((request.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('info')) request.log.info(requestLogLine(request, reply), 'request');
  });
  await http.register(cookie, { secret });
  registerErrorHandling(http);
  registerSecurityHeaders(http, config.publicUrl);
  registerCors(http);
  await registerRateLimits(http, config, services.rateLimitStore);
  await registerBodyParsers(http);
  registerAuthentication(http, services.auth, secret, config.publicUrl, (ip) => services.admin.ipBlocks.noAccessRefusal(ip));
  // First: its hook loads the custom emojis the presenters of every later route read.
  registerCustomEmojiRoutes(http, services);

  registerInstanceRoutes(http, services);
  registerAppRoutes(http, services);
  registerOAuthRoutes(http, services, secret);
  registerAccountRoutes(http, services);
  registerNotificationRoutes(http, services);
  registerStatusRoutes(http, services);
  registerScheduledStatusRoutes(http, services);
  registerTimelineRoutes(http, services);
  registerListRoutes(http, services);
  registerConversationRoutes(http, services);
  registerPushRoutes(http, services);
  registerTagRoutes(http, services);
  registerFilterRoutes(http, services);
  registerPostPageRoutes(http, services);
  registerProfilePageRoutes(http, services);
  registerStoryRoutes(http, services);
  registerCommentRoutes(http, services);
  registerGlimpseConversationRoutes(http, services);
  registerReportRoutes(http, services);
  registerAdminRoutes(http, services);
  registerInstanceSettingsRoutes(http, services);
  registerSearchRoutes(http, services);
  await registerStreamingRoutes(http, services, metrics);
  registerSessionRoutes(http, services, secret);
  registerPasswordResetRoutes(http, services);
  registerEmailRoutes(http, services);
  registerEmailConfirmationRoutes(http, services);
  registerTwoFactorRoutes(http, services, secret);
  registerAccountDeletionRoutes(http, services);
  registerDataPortabilityRoutes(http, services);
  registerMediaRoutes(http, services);
  registerMediaFileRoutes(http, services);
  registerTrendRoutes(http, services);
  registerSuggestionRoutes(http, services);
  registerMetricsRoute(http, config.metricsToken, metrics.registry);
  registerHealthRoutes(http, {
    database,
    jobsAdmin: services.jobsAdmin,
    queues: { media: services.mediaQueue },
    clock,
    ...(config.redisUrl ? { redis: () => services.presence.count() } : {}),
  });
  await registerWebClient(http);

  await http.ready();
  // Jobs are durable (the outbox, infra/queue/): those committed before a crash run now.
  services.jobs.onError = (f) => {
    if (f.attempt === 0) return http.log.error({ err: f.error }, 'job queue error');
    metrics.jobFailed(f.name, f.final);
    const fields = { err: f.error, jobId: f.id, job: f.name, attempt: f.attempt, maxAttempts: f.maxAttempts };
    if (f.final) http.log.error(fields, `job ${f.name} failed, no attempt left`);
    else http.log.warn(fields, `job ${f.name} failed, will retry`);
  };
  services.media.onError = (message, err) => http.log.error({ err }, message);
  services.media.onProcessingTimed = (seconds, outcome) => metrics.mediaProcessed(seconds, outcome);
  services.push.onError = (message, err) => http.log.error({ err }, message);
  services.delivery.onError = (message, err) => http.log.error({ err }, message);
  if (services.presence instanceof RedisPresence) services.presence.onError = (message, err) => http.log.error({ err }, message);
  if (services.pubsub instanceof RedisPubSub) services.pubsub.onError = (message, err) => http.log.error({ err }, message);
  nodeLease.onError = (message, err) => http.log.error({ err }, message);
  // A `web` process works no jobs (BullMQ's relay still moves its outbox rows), processes no
  // uploads and publishes no scheduled statuses: `worker` processes do (GLIMPSE_ROLE).
  services.jobs.start();
  const works = config.role !== 'web';
  let resumeTimer: NodeJS.Timeout | undefined;
  if (works) {
    services.mediaQueue.start();
    // Uploads a restart interrupted are processed again; then, periodically, uploads whose
    // holder died and those stored by `web` processes while no worker listened.
    await services.media.resumeInterrupted();
    resumeTimer = setInterval(() => {
      services.media.resumeInterrupted().catch((err: unknown) => http.log.error({ err }, 'resuming uploads failed'));
    }, MEDIA_RESUME_INTERVAL_MS);
    resumeTimer.unref();
    // Scheduled statuses due while the process was down are published now, then periodically.
    services.scheduled.log = {
      failed: (row, reason) => http.log.warn({ scheduledStatusId: row.id, accountId: row.account_id, reason }, 'scheduled status could not be published'),
      error: (message, err) => http.log.error({ err }, message),
    };
    services.scheduledPublisher.start();
    // Uploads nothing points at are removed (durably: rows and a files job) at start, then periodically.
    services.mediaSweeper.onError = (message, err) => http.log.error({ err }, message);
    services.mediaSweeper.start();
    // Account deletions past their grace period are claimed and their removal jobs started.
    services.accountDeletionSweeper.onError = (message, err) => http.log.error({ err }, message);
    services.accountDeletionSweeper.start();
    // Data archives whose download link ran out are deleted, file and row.
    services.dataArchiveSweeper.onError = (message, err) => http.log.error({ err }, message);
    services.dataArchiveSweeper.start();
  } else {
    // A web process receives uploads: what a crash left mid-upload is removed here too.
    await services.media.removeStaleIncoming();
    resumeTimer = setInterval(() => void services.media.removeStaleIncoming(), MEDIA_RESUME_INTERVAL_MS);
    resumeTimer.unref();
  }
  return {
    http,
    services,
    get idNode() {
      return nodeLease.node;
    },
    async close() {
      clearInterval(resumeTimer);
      await services.scheduledPublisher.stop();
      await services.mediaSweeper.stop();
      await services.accountDeletionSweeper.stop();
      await services.dataArchiveSweeper.stop();
      await http.close();
      // Let queued feed work finish (bounded) before the database closes.
      await Promise.race([services.jobs.onIdle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      await services.jobs.stop({ graceMs: 1000 });
      services.mail.close();
      // Running image jobs finish (bounded); waiting ones stay 'processing' and resume at start.
      await services.mediaQueue.stop({ graceMs: 10_000 });
      await nodeLease.release();
      // Redis connections (pub/sub, rate limits) go once nothing can use them any more.
      await services.pubsub.close();
      await services.presence.close();
      await services.rateLimitStore.close();
      if (!options.database) await database.close();
    },
  };
}
