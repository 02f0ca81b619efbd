import os from 'node:os';
import path from 'node:path';

/**
 * Every setting Glimpse reads from the environment, in one place. The README lists the same
 * variables; keep the two in step.
 */
export type RegistrationMode = 'open' | 'approval' | 'closed';

export interface RateLimits {
  /** Log-in attempts per peer per 5 minutes (web form and OAuth form). 0 disables. */
  login: number;
  /** Registrations per peer per 30 minutes. 0 disables. */
  registration: number;
  /** Authenticated API requests per account (all its tokens and sessions) per 5 minutes. 0 disables. */
  api: number;
  /** API requests without a valid token or session, per peer per 5 minutes. 0 disables. */
  anonymous: number;
  /** Comments per account per minute. 0 disables. */
  comments: number;
  /** Story replies and reactions together, per account per minute. 0 disables. */
  storyResponses: number;
  /** Log-in attempts per login name (username or email, any case) per hour, from every address together. 0 disables. */
  loginAccount: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A postgres:// URL selects PostgreSQL; empty means the embedded SQLite file under dataDir. */
  databaseUrl: string;
  publicUrl: string;
  domain: string;
  registrations: RegistrationMode;
  rateLimitsEnabled: boolean;
  rateLimits: RateLimits;
  /** Value of Fastify's trustProxy: false, true, a hop count or a list of addresses. */
  trustProxy: boolean | number | string;
  /** Secret for signing cookies and CSRF tokens; generated and kept in dataDir when unset. */
  secret: string | undefined;
  logLevel: string;
  instanceTitle: string;
  /** GLIMPSE_INSTANCE_DESCRIPTION: the instance's short description (GET /api/v1/instance); the default when an admin has set none in the web client. */
  instanceDescription: string;
  /**
   * GLIMPSE_HIDDEN_WORDS_DEFAULT_LIST=on: accounts that never chose their hidden words have the
   * default list on (new comments on their posts that match it are hidden). Default off; an
   * admin can change it in the web client (domain/instance/instance-settings.ts).
   */
  hiddenWordsDefaultList: boolean;
  /** Accounts with more followers than this are pulled into home feeds at read time. */
  fanoutThreshold: number;
  /** Images processed at once (sharp jobs); at least 1. */
  mediaConcurrency: number;
  /** How often (milliseconds) due scheduled statuses are published; they are also at start. 0: at start only. */
  scheduledPublishIntervalMs: number;
  /** GLIMPSE_MEDIA_SWEEP_INTERVAL_MS: how often uploads nothing points at are looked for and removed (after 24 hours; a deleted story's at once); also at start. 0: at start only. */
  mediaSweepIntervalMs: number;
  /** GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS: days between an owner asking to delete their account and its removal; logging in meanwhile cancels it (domain/accounts/account-deletion.ts). 0: removed at the next sweep. */
  accountDeletionGraceDays: number;
  /** VAPID `subject` of Web Push requests: a mailto: or https: URL (default: the public URL when https, else mailto:admin@<host>). */
  pushSubject: string;
  /**
   * Tests only: accept push subscription endpoints on a loopback address (127.0.0.0/8, [::1]),
   * over plain http too. Never set in production: loopback and private networks are refused
   * (SSRF). GLIMPSE_PUSH_ALLOW_LOOPBACK=on.
   */
  pushAllowLoopback: boolean;
  /** GLIMPSE_REDIS_URL: when set, pub/sub, job queues, rate limits and shared caches use Redis. Empty: all in this process. */
  redisUrl: string;
  /** GLIMPSE_REDIS_PREFIX: every Redis key starts with it, so one Redis can serve several instances (and tests). */
  redisPrefix: string;
  /** GLIMPSE_ROLE: `all` (HTTP, streaming and background jobs), `web` (HTTP and streaming) or `worker` (background jobs). */
  role: ProcessRole;
  /** GLIMPSE_STORAGE: where media files live. */
  storage: StorageConfig;
  /** GLIMPSE_HOME_FEED_ROWS: home_feed rows kept per account; older pages are read from the authors' posts. */
  homeFeedRowsPerAccount: number;
  /** GLIMPSE_POST_CACHE_SIZE: statuses whose content (media, photo tags, mentions, hashtags) each process keeps in memory, and as many serialised statuses and accounts; 0 turns the caches off. */
  postCacheSize: number;
  /** GLIMPSE_FILTER_CACHE_SIZE: accounts whose active filter rules each process keeps in memory; 0 turns the cache off. */
  filterCacheSize: number;
  /** GLIMPSE_RELATIONS_CACHE_SIZE: viewers whose relations to recently seen accounts each process keeps in memory; 0 turns the cache off. */
  relationsCacheSize: number;
  /** GLIMPSE_TRAY_CACHE_SIZE: viewers whose story trays each process keeps in memory; 0 turns the cache off. */
  trayCacheSize: number;
  /** GLIMPSE_SQLITE_READ_WORKERS: worker threads holding SQLite read connections, so reads run off the event loop (default: the cores but one, at most 4); 0 reads on the main thread. */
  sqliteReadWorkers: number;
  /** GLIMPSE_METRICS_TOKEN: GET /metrics answers only `Authorization: Bearer <it>`; empty, /metrics is 404. */
  metricsToken: string;
  /**
   * GLIMPSE_SMTP_URL: where mail is sent, `smtp://user:pass@host:port` (STARTTLS when the server
   * offers it) or `smtps://…` (TLS from the start, usually port 465); user and password are
   * URL-encoded. Empty (the default): no mail — no confirmation at sign-up, no password reset.
   */
  smtpUrl: string;
  /** GLIMPSE_MAIL_FROM: the From of every mail (default `Glimpse <notifications@<public host name>>`). */
  mailFrom: string;
  /** GLIMPSE_RATE_LIMIT_PASSWORD_RESET: password-reset requests per peer address per hour (429 beyond). 0 disables. */
  passwordResetLimit: number;
  /**
   * GLIMPSE_REQUIRE_TWO_FACTOR_STAFF=on: admins and moderators must use two-factor log-in. One
   * without it who gives the right password gets a short enrolment ticket, not a session: they
   * can set it up and are then signed in (access/two-factor-policy.ts). Default off.
   */
  requireTwoFactorStaff: boolean;
}

export type ProcessRole = 'all' | 'web' | 'worker';

export type StorageConfig =
  | { kind: 'local' }
  | {
      kind: 's3';
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

function storageFrom(env: NodeJS.ProcessEnv): StorageConfig {
  const kind = env.GLIMPSE_STORAGE || 'local';
  if (kind === 'local') return { kind: 'local' };
  if (kind !== 's3') throw new Error(`GLIMPSE_STORAGE must be local or s3, got "${kind}"`);
  const missing = ['GLIMPSE_S3_BUCKET', 'GLIMPSE_S3_ACCESS_KEY_ID', 'GLIMPSE_S3_SECRET_ACCESS_KEY'].filter((name) => !env[name]);
  if (missing.length) throw new Error(`GLIMPSE_STORAGE=s3 needs ${missing.join(', ')}`);
  return {
    kind: 's3',
    endpoint: env.GLIMPSE_S3_ENDPOINT || '',
    bucket: env.GLIMPSE_S3_BUCKET!,
    region: env.GLIMPSE_S3_REGION || 'us-east-1',
    accessKeyId: env.GLIMPSE_S3_ACCESS_KEY_ID!,
    secretAccessKey: env.GLIMPSE_S3_SECRET_ACCESS_KEY!,
    forcePathStyle: env.GLIMPSE_S3_FORCE_PATH_STYLE === 'true' || env.GLIMPSE_S3_FORCE_PATH_STYLE === 'on',
  };
}

function roleFrom(raw: string | undefined): ProcessRole {
  const role = raw || 'all';
  if (role !== 'all' && role !== 'web' && role !== 'worker') throw new Error(`GLIMPSE_ROLE must be all, web or worker, got "${role}"`);
  return role;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function smtpUrlFrom(raw: string | undefined): string {
  if (!raw) return '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('GLIMPSE_SMTP_URL must be a URL such as smtp://user:pass@host:587 or smtps://user:pass@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`GLIMPSE_SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}//"`);
  return raw;
}

function trustProxyFrom(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** Push services require a mailto: or https: subject (RFC 8292 §2.1). */
function pushSubjectFrom(raw: string | undefined, publicUrl: string): string {
  if (raw) {
    if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(raw)) throw new Error(`GLIMPSE_PUSH_SUBJECT must be a mailto: or https: URL, got "${raw}"`);
    return raw;
  }
  const url = new URL(publicUrl);
  return url.protocol === 'https:' ? publicUrl : `mailto:admin@${url.hostname}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = intFrom(env, 'PORT', 3000);
  const publicUrl = (env.GLIMPSE_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  const registrations = (env.GLIMPSE_REGISTRATIONS || 'open') as RegistrationMode;
  if (!['open', 'approval', 'closed'].includes(registrations)) {
    throw new Error(`GLIMPSE_REGISTRATIONS must be open, approval or closed, got "${registrations}"`);
  }
  const rateLimitsRaw = env.GLIMPSE_RATE_LIMITS || 'on';
  if (rateLimitsRaw !== 'on' && rateLimitsRaw !== 'off') throw new Error('GLIMPSE_RATE_LIMITS must be on or off');
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.GLIMPSE_DATA_DIR || './data'),
    databaseUrl: env.GLIMPSE_DATABASE_URL || '',
    publicUrl,
    domain: new URL(publicUrl).host,
    registrations,
    rateLimitsEnabled: rateLimitsRaw === 'on',
    rateLimits: {
      login: intFrom(env, 'GLIMPSE_RATE_LIMIT_LOGIN', 10),
      registration: intFrom(env, 'GLIMPSE_RATE_LIMIT_REGISTRATION', 5),
      api: intFrom(env, 'GLIMPSE_RATE_LIMIT_API', 1500),
      anonymous: intFrom(env, 'GLIMPSE_RATE_LIMIT_ANONYMOUS', 300),
      comments: intFrom(env, 'GLIMPSE_RATE_LIMIT_COMMENTS', 30),
      storyResponses: intFrom(env, 'GLIMPSE_RATE_LIMIT_STORY_RESPONSES', 30),
      loginAccount: intFrom(env, 'GLIMPSE_RATE_LIMIT_LOGIN_ACCOUNT', 20),
    },
    trustProxy: trustProxyFrom(env.GLIMPSE_TRUST_PROXY),
    secret: env.GLIMPSE_SECRET || undefined,
    logLevel: env.GLIMPSE_LOG_LEVEL || 'info',
    instanceTitle: env.GLIMPSE_INSTANCE_TITLE || 'Glimpse',
    instanceDescription: env.GLIMPSE_INSTANCE_DESCRIPTION || 'A self-hosted place for photo series and 24-hour stories.',
    hiddenWordsDefaultList: onOff(env, 'GLIMPSE_HIDDEN_WORDS_DEFAULT_LIST', false),
    fanoutThreshold: intFrom(env, 'GLIMPSE_FANOUT_THRESHOLD', 10000),
    mediaConcurrency: Math.max(1, intFrom(env, 'GLIMPSE_MEDIA_CONCURRENCY', 2)),
    scheduledPublishIntervalMs: intFrom(env, 'GLIMPSE_SCHEDULED_INTERVAL_MS', 10_000),
    mediaSweepIntervalMs: intFrom(env, 'GLIMPSE_MEDIA_SWEEP_INTERVAL_MS', 600_000),
    accountDeletionGraceDays: intFrom(env, 'GLIMPSE_ACCOUNT_DELETION_GRACE_DAYS', 30),
    pushSubject: pushSubjectFrom(env.GLIMPSE_PUSH_SUBJECT, publicUrl),
    pushAllowLoopback: env.GLIMPSE_PUSH_ALLOW_LOOPBACK === 'on',
    redisUrl: env.GLIMPSE_REDIS_URL || '',
    redisPrefix: env.GLIMPSE_REDIS_PREFIX || 'glimpse:',
    role: roleFrom(env.GLIMPSE_ROLE),
    storage: storageFrom(env),
    homeFeedRowsPerAccount: Math.max(50, intFrom(env, 'GLIMPSE_HOME_FEED_ROWS', 800)),
    postCacheSize: Math.max(0, intFrom(env, 'GLIMPSE_POST_CACHE_SIZE', 10_000)),
    filterCacheSize: Math.max(0, intFrom(env, 'GLIMPSE_FILTER_CACHE_SIZE', 10_000)),
    relationsCacheSize: Math.max(0, intFrom(env, 'GLIMPSE_RELATIONS_CACHE_SIZE', 5_000)),
    trayCacheSize: Math.max(0, intFrom(env, 'GLIMPSE_TRAY_CACHE_SIZE', 5_000)),
    // One core is the event loop's; the others read (at most four: one writer serialises the rest).
    sqliteReadWorkers: Math.min(16, intFrom(env, 'GLIMPSE_SQLITE_READ_WORKERS', Math.min(4, Math.max(0, os.availableParallelism() - 1)))),
    metricsToken: env.GLIMPSE_METRICS_TOKEN || '',
    smtpUrl: smtpUrlFrom(env.GLIMPSE_SMTP_URL),
    // The title quoted, so a comma or a colon in it stays part of the name.
    mailFrom: env.GLIMPSE_MAIL_FROM || `"${(env.GLIMPSE_INSTANCE_TITLE || 'Glimpse').replace(/["\\\r\n]/g, '')}" <notifications@${new URL(publicUrl).hostname}>`,
    passwordResetLimit: intFrom(env, 'GLIMPSE_RATE_LIMIT_PASSWORD_RESET', 5),
    requireTwoFactorStaff: onOff(env, 'GLIMPSE_REQUIRE_TWO_FACTOR_STAFF', false),
  };
}

/** An `on`/`off` setting (`true`/`false` are read too); anything else is refused at start. */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (raw === 'on' || raw === 'true') return true;
  if (raw === 'off' || raw === 'false') return false;
  throw new Error(`${name} must be on or off, got "${env[name]}"`);
}
