import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { AccountRepository } from './domain/accounts/account-repository.ts';
import { AccountService } from './domain/accounts/account-service.ts';
import { AuthService } from './domain/auth/auth-service.ts';
import { TokenRepository } from './domain/auth/token-repository.ts';
import { PasswordResetService } from './domain/auth/password-reset.ts';
import { EmailConfirmationService } from './domain/accounts/email-confirmation.ts';
import { EmailChangeService } from './domain/accounts/email-change.ts';
import { MailService } from './domain/mail/mail-service.ts';
import { mailerFromConfig } from './domain/mail/mailer.ts';
import { MailTokenRepository } from './domain/mail/mail-token-repository.ts';
import { TwoFactorRepository } from './domain/auth/two-factor-repository.ts';
import { TwoFactorService } from './domain/auth/two-factor-service.ts';
import { FollowService } from './domain/follows/follow-service.ts';
import { RelationshipRepository } from './domain/follows/relationship-repository.ts';
import { NotificationRepository } from './domain/notifications/notification-repository.ts';
import { MediaUrls } from './domain/media/media-urls.ts';
import { ViewerRelationsCache } from './domain/follows/viewer-relations-cache.ts';
import { NotificationService } from './domain/notifications/notification-service.ts';
import { MediaRepository } from './domain/media/media-repository.ts';
import { PostRepository } from './domain/posts/post-repository.ts';
import { PostHydrator } from './domain/posts/post-hydrator.ts';
import { PostContentCache } from './domain/posts/post-content-cache.ts';
import { VersionedCache } from './infra/cache/versioned-cache.ts';
import { RowCheckedCache } from './infra/cache/row-checked-cache.ts';
import type { SharedStatusJson } from './http/mastodon/presenters/status-json.ts';
import { NOT_SHOWN_ALIKE } from './domain/posts/post.ts';
import { PostService } from './domain/posts/post-service.ts';
import { FeedRepository } from './domain/feeds/feed-repository.ts';
import { FeedService } from './domain/feeds/feed-service.ts';
import { ListRepository } from './domain/lists/list-repository.ts';
import { ListService } from './domain/lists/list-service.ts';
import { TagRepository } from './domain/tags/tag-repository.ts';
import { TagService } from './domain/tags/tag-service.ts';
import { type ActiveRuleRow, FilterRepository } from './domain/filters/filter-repository.ts';
import { FilterService } from './domain/filters/filter-service.ts';
import { StoryRepository } from './domain/stories/story-repository.ts';
import { StoryService } from './domain/stories/story-service.ts';
import { ConversationRepository } from './domain/conversations/conversation-repository.ts';
import { ConversationService } from './domain/conversations/conversation-service.ts';
import { CommentRepository } from './domain/comments/comment-repository.ts';
import { CommentService } from './domain/comments/comment-service.ts';
import { STORM_CACHE_POSTS, StormCache } from './domain/comments/storm-cache.ts';
import { TrayCache } from './domain/stories/tray-cache.ts';
import { ModerationRepository } from './domain/moderation/moderation-repository.ts';
import { ModerationService } from './domain/moderation/moderation-service.ts';
import { type AdminServices, buildAdminServices } from './domain/admin/admin-services.ts';
import { InstanceRepository } from './domain/instance/instance-repository.ts';
import { InstanceSettings } from './domain/instance/instance-settings.ts';
import { ScheduledStatusRepository } from './domain/scheduled/scheduled-status-repository.ts';
import { ScheduledStatusService } from './domain/scheduled/scheduled-status-service.ts';
import { ScheduledPublisher } from './domain/scheduled/scheduled-publisher.ts';
import { PushSubscriptionRepository } from './domain/push/push-subscription-repository.ts';
import { PushService } from './domain/push/push-service.ts';
import { RateLimit, type RateLimitStore } from './infra/rate-limit/rate-limit-store.ts';
import { MemoryRateLimitStore } from './infra/rate-limit/memory-rate-limit-store.ts';
import { RedisRateLimitStore } from './infra/rate-limit/redis-rate-limit-store.ts';
import { CACHE_CHANNEL, InProcessPubSub, MEDIA_CHANNEL, type PubSub, sessionChannel, userChannel } from './infra/pubsub/pub-sub.ts';
import { InProcessPresence, RedisPresence, type StreamPresence } from './infra/pubsub/presence.ts';
import { StreamDelivery } from './domain/realtime/stream-delivery.ts';
import { RecipientRepository } from './domain/realtime/recipient-repository.ts';
import { RedisPubSub } from './infra/pubsub/redis-pub-sub.ts';
import { openRedis } from './infra/redis/redis-connection.ts';
import type { SessionEvents } from './domain/auth/token-repository.ts';
import { InProcessJobQueue, type JobQueue } from './infra/queue/job-queue.ts';
import type { DurableJobQueue, JobsAdmin } from './infra/queue/durable-job-queue.ts';
import { buildJobQueue } from './infra/queue/build-job-queue.ts';
import { MediaService, mediaLeaseHolder } from './domain/media/media-service.ts';
import { MediaLifecycle, MediaSweeper } from './domain/media/media-lifecycle.ts';
import { DataArchiveService, DataArchiveSweeper } from './domain/portability/data-archive.ts';
import { mediaStorageFor } from './infra/storage/s3-storage.ts';
import type { MediaStorage } from './infra/storage/media-storage.ts';
import { TrendRepository } from './domain/trends/trend-repository.ts';
import { TrendService } from './domain/trends/trend-service.ts';
import { SuggestionRepository } from './domain/suggestions/suggestion-repository.ts';
import { SuggestionService } from './domain/suggestions/suggestion-service.ts';
import { CustomEmojiRepository } from './domain/emojis/emoji-repository.ts';
import { CustomEmojiService } from './domain/emojis/emoji-service.ts';
import { AccountDeletionService, AccountDeletionSweeper } from './domain/accounts/account-deletion.ts';
import { RelationImportService } from './domain/portability/relation-import.ts';

/** How often account deletions past their grace period are looked for (also at start). */
const ACCOUNT_DELETION_SWEEP_MS = 10 * 60_000;

/** The use cases, wired to their repositories. Built once by app.ts; routes receive it. */
export interface Services {
  /**
   * The settings, carrying the instance's custom emojis: routes present with this object (or a
   * spread of it), so every Status and Account presenter finds the cached set (customEmojis).
   */
  config: Config & { customEmojis: CustomEmojiService };
  clock: Clock;
  /** Signs cookies, CSRF tokens and restricted media URLs. */
  secret: string;
  mediaUrls: MediaUrls;
  database: DatabaseHandle;
  repositories: {
    accounts: AccountRepository;
    relationships: RelationshipRepository;
    notifications: NotificationRepository;
    tokens: TokenRepository;
    media: MediaRepository;
    posts: PostRepository;
    feeds: FeedRepository;
    stories: StoryRepository;
    comments: CommentRepository;
    moderation: ModerationRepository;
    /** Instance texts (rules, terms …) and weekly activity. */
    instance: InstanceRepository;
    lists: ListRepository;
    tags: TagRepository;
    filters: FilterRepository;
  };
  /** What happened, for streaming connections (in this process, or Redis with GLIMPSE_REDIS_URL). */
  pubsub: PubSub;
  /** Which accounts hold a live stream, in any process; streams mark themselves, delivery asks. */
  presence: StreamPresence;
  /** Posts to the channels of the accounts with a live stream that may see them (domain/realtime). */
  delivery: StreamDelivery;
  /** Where every rate limit counts (in memory on the clock, or Redis with GLIMPSE_REDIS_URL); app.close() closes it. */
  rateLimitStore: RateLimitStore;
  /**
   * Background work a change causes (fan-out, feed and list upkeep, re-checks, Web Push):
   * durable, recorded in the change's transaction (infra/queue/durable-job-queue.ts).
   */
  jobs: DurableJobQueue;
  /** Counts, failures, retry and discard of the jobs (`npm run admin -- jobs`). */
  jobsAdmin: JobsAdmin;
  hydrator: PostHydrator;
  /**
   * What each process keeps in memory: under versions read from the database
   * (infra/cache/versioned-cache.ts), or beside the rows a value was built from
   * (infra/cache/row-checked-cache.ts: the serialised Status and Account parts).
   */
  caches: {
    postContent: PostContentCache;
    filterRules: VersionedCache<ActiveRuleRow[]>;
    viewerRelations: ViewerRelationsCache;
    trays: TrayCache;
    statusJson: RowCheckedCache<SharedStatusJson>;
    accountJson: RowCheckedCache<string>;
  };
  posts: PostService;
  feeds: FeedService;
  /** Lists, their members and timelines. */
  lists: ListService;
  /** Followed and featured hashtags. */
  tags: TagService;
  /** Mastodon filters (v2 and v1) and applying them to the statuses a response carries. */
  filters: FilterService;
  stories: StoryService;
  /** Direct messages and their conversations (story replies and reactions land there too). */
  conversations: ConversationService;
  comments: CommentService;
  moderation: ModerationService;
  /** Mastodon's admin API: accounts, reports, IP and e-mail domain blocks (domain/admin). */
  admin: AdminServices;
  accounts: AccountService;
  auth: AuthService;
  /** Two-factor log-in (TOTP): enrolment, recovery codes, the check at log-in. */
  twoFactor: TwoFactorService;
  /** Account deletion by its owner: the request, its cancellation at log-in, the removal jobs. */
  accountDeletion: AccountDeletionService;
  /** Runs accountDeletion.sweep at start and every 10 minutes; app.ts starts and stops it. */
  accountDeletionSweeper: AccountDeletionSweeper;
  /** CSV imports of follows, blocks and mutes (Mastodon's formats), worked by durable jobs. */
  relationImports: RelationImportService;
  /** "Download your data": archives built by a durable job, downloadable by their owner for a week. */
  dataArchives: DataArchiveService;
  /** Removes archives whose link ran out, with the media sweep's interval; app.ts starts and stops it. */
  dataArchiveSweeper: DataArchiveSweeper;
  follows: FollowService;
  notifications: NotificationService;
  /** Uploads, image processing and profile pictures. */
  media: MediaService;
  mediaStorage: MediaStorage;
  /** Image processing only (sharp is CPU- and memory-heavy): GLIMPSE_MEDIA_CONCURRENCY at once. */
  mediaQueue: JobQueue;
  /** Removing media nothing points at (uploads never attached, deleted posts' and stories' photos) and their files. */
  mediaLifecycle: MediaLifecycle;
  /** Runs mediaLifecycle.sweep at start and every GLIMPSE_MEDIA_SWEEP_INTERVAL_MS; app.ts starts and stops it. */
  mediaSweeper: MediaSweeper;
  /** Trending tags and posts by recent engagement. */
  trends: TrendService;
  /** Follow suggestions and their dismissals. */
  suggestions: SuggestionService;
  /** The instance's custom emojis, cached (admin emoji add/remove). */
  customEmojis: CustomEmojiService;
  /** Scheduled statuses (scheduled_at) and their publication (publishDue). */
  scheduled: ScheduledStatusService;
  /** Runs scheduled.publishDue at start and every GLIMPSE_SCHEDULED_INTERVAL_MS; app.ts starts and stops it. */
  scheduledPublisher: ScheduledPublisher;
  /** Web Push subscriptions and delivery (a job per published notification). */
  push: PushService;
  /**
   * Mail (GLIMPSE_SMTP_URL; `mail.enabled` false without it): sending from durable jobs, the
   * password reset, e-mail confirmation at sign-up, and e-mail changes.
   */
  mail: MailService;
  /** Title, description, rules, registrations, default hidden words and flood limits an admin sets (env values are the defaults). */
  instanceSettings: InstanceSettings;
  passwordResets: PasswordResetService;
  emailConfirmation: EmailConfirmationService;
  emailChange: EmailChangeService;
}

export function buildServices(config: Config, database: DatabaseHandle, clock: Clock, secret: string): Services {
  const db = database.kysely;
  // With GLIMPSE_REDIS_URL, what one process publishes reaches every process's streams.
  const pubsub: PubSub = config.redisUrl
    ? new RedisPubSub(openRedis(config.redisUrl, 'pubsub'), openRedis(config.redisUrl, 'pubsub-subscriber'), config.redisPrefix)
    : new InProcessPubSub();
  // Revoked tokens and suspended or disabled accounts: their open streams close at once.
  const sessions: SessionEvents = {
    revoked: (accountId, tokenIds) => pubsub.publish(sessionChannel(accountId), { kind: 'revoked', tokenIds }),
    allRevoked: (accountId) => pubsub.publish(sessionChannel(accountId), { kind: 'revoked', tokenIds: 'all' }),
  };
  // One rate-limit mechanism; with Redis, one budget across processes.
  const rateLimitStore: RateLimitStore = config.redisUrl
    ? new RedisRateLimitStore(openRedis(config.redisUrl, 'rate-limit'), config.redisPrefix)
    : new MemoryRateLimitStore(() => clock.now().getTime());
  const viewerRelations = new ViewerRelationsCache(config.relationsCacheSize);
  const repositories = {
    accounts: new AccountRepository(db),
    relationships: new RelationshipRepository(db, clock, viewerRelations),
    notifications: new NotificationRepository(db),
    tokens: new TokenRepository(db, sessions),
    media: new MediaRepository(db),
    posts: new PostRepository(db),
    feeds: new FeedRepository(db, { homeFeedRows: config.homeFeedRowsPerAccount, clock }),
    stories: new StoryRepository(db),
    comments: new CommentRepository(db),
    moderation: new ModerationRepository(db),
    instance: new InstanceRepository(db),
    lists: new ListRepository(db),
    tags: new TagRepository(db),
    filters: new FilterRepository(db),
  };
  const notifications = new NotificationService(repositories.notifications, repositories.relationships, clock, {
    onNotification: (row) => pubsub.publish(userChannel(row.account_id), { kind: 'notification', id: row.id }),
    onStoring: (trx, row) => push.notificationStored(trx, row),
  });
  // The jobs table worked in this process, or BullMQ when GLIMPSE_REDIS_URL is set.
  const { queue: jobs, admin: jobsAdmin } = buildJobQueue(config, database, clock);
  const push = new PushService(db, new PushSubscriptionRepository(db), repositories.accounts, config, secret, jobs, clock);
  const postContent = new PostContentCache(config.postCacheSize);
  // The serialised parts of a Status every viewer sees alike, and of its author's Account (http/mastodon/presenters/status-json.ts).
  const statusJson = new RowCheckedCache<SharedStatusJson>(config.postCacheSize, NOT_SHOWN_ALIKE);
  const accountJson = new RowCheckedCache<string>(config.postCacheSize);
  const hydrator = new PostHydrator(repositories.posts, repositories.accounts, repositories.media, repositories.relationships, repositories.comments, postContent);
  // Who has a live stream (in this process, or every process's with Redis), and the delivery
  // of posts to their channels (domain/realtime).
  const presence: StreamPresence = config.redisUrl ? new RedisPresence(openRedis(config.redisUrl, 'presence'), config.redisPrefix) : new InProcessPresence();
  const delivery = new StreamDelivery(repositories.posts, repositories.accounts, new RecipientRepository(db), presence, pubsub);
  const deliveryFailed = (err: unknown) => delivery.onError('delivering a post to the streams failed', err);
  const feeds = new FeedService(repositories.feeds, repositories.accounts, repositories.relationships, hydrator, config.fanoutThreshold, jobs, delivery);
  const lists = new ListService(repositories.lists, repositories.accounts, repositories.relationships, feeds, clock, jobs);
  const tags = new TagService(repositories.tags, repositories.accounts, repositories.relationships, clock);
  // The account's open streams reload their home sources and filters when it changes them.
  const homeChanged = (accountId: string) => pubsub.publish(userChannel(accountId), { kind: 'home.changed' });
  tags.onHomeChanged = homeChanged;
  lists.onHomeChanged = homeChanged;
  const filterRules = new VersionedCache<ActiveRuleRow[]>(config.filterCacheSize);
  const filters = new FilterService(db, repositories.filters, hydrator, clock, (accountId) => pubsub.publish(userChannel(accountId), { kind: 'filters.changed' }), filterRules);
  const posts = new PostService(db, repositories.posts, repositories.accounts, repositories.media, repositories.relationships, hydrator, notifications, clock, {
    onCreating: (trx, status) => feeds.postCreated(trx, status),
    // A new post reaches the streams from its fan-out job (feeds.postCreated); an edit or a
    // delete from here, once committed.
    onEdited: (status) =>
      delivery
        .postPublished(status.id, 'status.update')
        .then(() => undefined)
        .catch((err: unknown) => deliveryFailed(err)),
    onDeleted: ({ status, author, mentions, tags }) =>
      delivery
        .postDeleted({
          kind: 'delete',
          id: status.id,
          post: { id: status.id, account_id: status.account_id, visibility: status.visibility, post_id: status.post_id },
          author: { id: author.id, locked: author.locked, suspended_at: author.suspended_at },
          mentionedIds: mentions.map((m) => m.id),
          tags: tags.map((t) => t.tag),
          hasMedia: status.has_media === 1,
        })
        .then(() => undefined)
        .catch((err: unknown) => deliveryFailed(err)),
  });
  const mediaUrls = new MediaUrls(config.publicUrl, secret, () => clock.now());
  // GLIMPSE_STORAGE: local disk (the default) or an S3-compatible bucket.
  const mediaStorage = mediaStorageFor(config.storage, config.dataDir);
  const customEmojis = new CustomEmojiService(new CustomEmojiRepository(db), mediaStorage, clock);
  const trends = new TrendService(new TrendRepository(db), tags, hydrator, repositories.relationships, clock);
  const suggestions = new SuggestionService(new SuggestionRepository(db), repositories.accounts, repositories.relationships, clock);
  const mediaQueue = new InProcessJobQueue({ name: 'media', concurrency: config.mediaConcurrency, maxWaiting: 100, timeoutMs: 60_000 });
  // Roles `all` and `worker` process uploads; a `web` process stores them for the workers.
  const media = new MediaService(db, repositories.media, mediaStorage, mediaQueue, mediaUrls, clock, {
    leaseHolder: mediaLeaseHolder(config.dataDir),
    processHere: config.role !== 'web',
    announce: (id) => pubsub.publish(MEDIA_CHANNEL, { kind: 'media.uploaded', id }),
    processed: (id) => pubsub.publish(MEDIA_CHANNEL, { kind: 'media.processed', id }),
  });
  pubsub.subscribe(MEDIA_CHANNEL, (message) => {
    if (message.kind === 'media.uploaded') media.pickUp(message.id);
    else if (message.kind === 'media.processed') media.wake(message.id);
  });
  // Per-account flood limits the HTTP layer cannot key, on the injectable clock.
  // Their maxima are instance settings an admin may change (the env's are the defaults), read per use from this process's copy.
  const instanceSettings = new InstanceSettings(repositories.instance, config, clock);
  const perMinute = (name: string, limit: 'comments' | 'story_responses') =>
    config.rateLimitsEnabled ? new RateLimit(rateLimitStore, name, async () => (await instanceSettings.cached()).limits[limit], 60_000) : undefined;
  const stories = new StoryService(db, repositories.stories, repositories.accounts, repositories.media, repositories.relationships, notifications, clock, perMinute('story-response', 'story_responses'));
  const trays = new TrayCache(config.trayCacheSize);
  stories.useTrayCache(trays, (accountIds) => pubsub.publish(CACHE_CHANNEL, { kind: 'trays.changed', accountIds }));
  const moderation = new ModerationService(db, repositories.moderation, repositories.comments, repositories.accounts, repositories.relationships, repositories.tokens, hydrator, clock, jobs);
  const comments = new CommentService(db, repositories.comments, repositories.posts, repositories.accounts, repositories.relationships, hydrator, moderation, notifications, clock, perMinute('comment', 'comments'), undefined, new StormCache(config.postCacheSize > 0 ? STORM_CACHE_POSTS : 0));
  const scheduled = new ScheduledStatusService(db, new ScheduledStatusRepository(db), posts, repositories.accounts, repositories.media, clock);
  posts.useComments(comments, (accountId) => moderation.defaultCommentPolicy(accountId));
  stories.useReplyModeration({ isHidden: (authorId, text) => moderation.isHiddenByWords(authorId, text) });
  const conversations = new ConversationService(db, new ConversationRepository(db), repositories.posts, repositories.accounts, repositories.media, repositories.relationships, hydrator, notifications, clock, {
    // Each participant's own channel: a conversation event is never published to everybody.
    onMessage: ({ conversationId, statusId, accountIds }) => {
      for (const id of accountIds) pubsub.publish(userChannel(id), { kind: 'conversation', conversationId, statusId });
    },
  });
  conversations.useMediaCheck((viewer, ids, options) => posts.checkMessageMedia(viewer, ids, options));
  posts.useMessages(conversations);
  stories.useConversations(conversations);
  const mediaLifecycle = new MediaLifecycle(db, mediaStorage, jobs, clock);
  stories.useMediaLifecycle(mediaLifecycle);
  posts.useMediaLifecycle(mediaLifecycle);
  hydrator.useStoryLinks((viewer, ids) => stories.linksFor(viewer, ids));
  const accounts = new AccountService(db, repositories.accounts, repositories.relationships, config, clock);
  accounts.useRegistrationsMode(async () => (await instanceSettings.current()).registrations);
  moderation.useInstanceDefaultList(async () => (await instanceSettings.cached()).default_hidden_words);
  // Mail: every mail is sent by a durable job; links are made in their jobs (domain/mail).
  const mail = new MailService(mailerFromConfig(config), jobs, config);
  const mailTokens = new MailTokenRepository(db);
  const hourly = (name: string, max: number) => (config.rateLimitsEnabled && max > 0 ? new RateLimit(rateLimitStore, name, max, 60 * 60_000) : undefined);
  const passwordResets = new PasswordResetService(db, repositories.accounts, repositories.tokens, mailTokens, mail, config, clock, jobs, {
    perPeer: hourly('password-reset', config.passwordResetLimit),
    perAddress: hourly('password-reset-address', 3),
  });
  const emailConfirmation = new EmailConfirmationService(db, repositories.accounts, mailTokens, mail, config, clock, jobs, hourly('confirmation-link', 5));
  const emailChange = new EmailChangeService(db, repositories.accounts, emailConfirmation, mail);
  accounts.onSignedUp = (trx, accountId, email) => emailConfirmation.sendLink(trx, accountId, email);
  const admin = buildAdminServices(db, clock, { moderationRepository: repositories.moderation, moderation, hydrator, accounts, sessions });
  emailChange.emailBlocked = (email) => admin.emailDomainBlocks.isBlocked(email);
  // Instance-wide caches each process keeps: a change in one drops them in all (through Redis
  // when set; the admin command line publishes there too).
  admin.ipBlocks.onChanged = () => pubsub.publish(CACHE_CHANNEL, { kind: 'cache.changed', cache: 'ip-blocks' });
  customEmojis.onChanged = () => pubsub.publish(CACHE_CHANNEL, { kind: 'cache.changed', cache: 'custom-emojis' });
  instanceSettings.onChanged = () => pubsub.publish(CACHE_CHANNEL, { kind: 'cache.changed', cache: 'instance-settings' });
  pubsub.subscribe(CACHE_CHANNEL, (message) => {
    if (message.kind === 'trays.changed') return trays.changed(message.accountIds);
    if (message.kind !== 'cache.changed') return;
    if (message.cache === 'ip-blocks') admin.ipBlocks.dropCache();
    else if (message.cache === 'instance-settings') instanceSettings.dropCache();
    else customEmojis.dropCache();
  });
  const auth = new AuthService(
    repositories.tokens,
    repositories.accounts,
    clock,
    config.rateLimitsEnabled && config.rateLimits.loginAccount > 0 ? new RateLimit(rateLimitStore, 'login-name', config.rateLimits.loginAccount, 60 * 60_000) : undefined,
  );
  auth.onPasswordChanged = async (accountId) => {
    const [user, account] = await Promise.all([repositories.accounts.findUser(accountId), repositories.accounts.findById(accountId)]);
    if (user && account) await mail.passwordChanged(db, user, account.username);
  };
  // Codes spend the same per-account log-in budget as passwords (keyed on the account).
  const twoFactor = new TwoFactorService(
    new TwoFactorRepository(db),
    repositories.accounts,
    { issuer: config.instanceTitle, domain: config.domain, requiredForStaff: config.requireTwoFactorStaff },
    secret,
    clock,
    config.rateLimitsEnabled && config.rateLimits.loginAccount > 0 ? new RateLimit(rateLimitStore, 'login-name', config.rateLimits.loginAccount, 60 * 60_000) : undefined,
  );
  // Account deletion by the owner: grace period, then chunked removal jobs (domain/accounts/account-deletion.ts).
  const accountDeletion = new AccountDeletionService(
    db,
    { accounts: repositories.accounts, tokens: repositories.tokens, twoFactor, posts, stories: repositories.stories, storiesChanged: (ids) => stories.storiesChanged(ids), comments: repositories.comments, mediaLifecycle },
    jobs,
    clock,
    { graceDays: config.accountDeletionGraceDays },
  );
  // CSV imports of follows, blocks and mutes act through the FollowService made below.
  let followsForImports: FollowService | undefined;
  const relationImports = new RelationImportService(
    db,
    {
      follow: (viewer, id) => followsForImports!.follow(viewer, id),
      unfollow: (viewer, id) => followsForImports!.unfollow(viewer, id),
      block: (viewer, id) => followsForImports!.block(viewer, id),
      unblock: (viewer, id) => followsForImports!.unblock(viewer, id),
      mute: (viewer, id, options) => followsForImports!.mute(viewer, id, options),
      unmute: (viewer, id) => followsForImports!.unmute(viewer, id),
    },
    jobs,
    clock,
    config.domain,
  );
  const dataArchives = new DataArchiveService(db, mediaStorage, notifications, jobs, clock, config.publicUrl);
  return {
    relationImports,
    dataArchives,
    dataArchiveSweeper: new DataArchiveSweeper(dataArchives, config.mediaSweepIntervalMs),
    mail,
    instanceSettings,
    passwordResets,
    emailConfirmation,
    emailChange,
    admin,
    caches: { postContent, filterRules, viewerRelations, statusJson, accountJson, trays },
    pubsub,
    presence,
    delivery,
    rateLimitStore,
    comments,
    moderation,
    stories,
    conversations,
    jobs,
    jobsAdmin,
    hydrator,
    posts,
    feeds,
    lists,
    tags,
    filters,
    config: { ...config, customEmojis },
    trends,
    suggestions,
    customEmojis,
    clock,
    secret,
    mediaUrls,
    database,
    repositories,
    accounts,
    auth,
    twoFactor,
    accountDeletion,
    accountDeletionSweeper: new AccountDeletionSweeper(accountDeletion, ACCOUNT_DELETION_SWEEP_MS),
    follows: (followsForImports = new FollowService(db, repositories.accounts, repositories.relationships, notifications, clock, {
      onFollowed: (trx, follower, followed) => feeds.followed(trx, follower, followed),
      onUnfollowed: async (trx, follower, followed) => {
        await feeds.unfollowed(trx, follower, followed);
        await lists.unfollowed(trx, follower, followed);
      },
    })),
    notifications,
    media,
    mediaStorage,
    mediaQueue,
    mediaLifecycle,
    mediaSweeper: new MediaSweeper(mediaLifecycle, config.mediaSweepIntervalMs),
    scheduled,
    scheduledPublisher: new ScheduledPublisher(scheduled, clock, config.scheduledPublishIntervalMs),
    push,
  };
}
