import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { Metrics } from '../../infra/metrics/metrics.ts';
import type { Services } from '../../services.ts';
import type { Principal } from '../../domain/auth/auth-service.ts';
import { hasScope } from '../../domain/auth/scopes.ts';
import { type DeleteMessage, PUBLIC_CHANNEL, type PostMessage, type StreamMessage, sessionChannel, tagChannel, userChannel } from '../../infra/pubsub/pub-sub.ts';
import type { StreamFilters } from '../../domain/filters/filter-service.ts';
import type { HydratedPost } from '../../domain/posts/post-hydrator.ts';
import { SharedPostCache } from '../../domain/realtime/shared-posts.ts';
import { type HomeSources, belongsInHomeFeed, canViewPost, isBroughtByFollowedTag, isPubliclyListable } from '../../access/post-policy.ts';
import { AppError, unauthorized } from '../../errors.ts';
import { isId } from '../../db/ids.ts';
import { SESSION_COOKIE } from '../authentication.ts';
import { isCrossOrigin } from '../cors.ts';
import { presentStatus } from './presenters/status.presenter.ts';
import { presentNotificationRows } from './presenters/notification-page.ts';
import { presentConversation } from './presenters/conversation.presenter.ts';

type StreamName = 'user' | 'user:notification' | 'public' | 'public:local' | 'public:media' | 'public:local:media' | 'hashtag' | 'hashtag:local' | 'list' | 'direct';
const STREAMS: readonly StreamName[] = ['user', 'user:notification', 'public', 'public:local', 'public:media', 'public:local:media', 'hashtag', 'hashtag:local', 'list', 'direct'];
/** The public streams that carry only posts with photos (`only_media` on the SSE paths). */
const isMediaStream = (name: string) => name.endsWith(':media');
/** Mastodon's streaming server reads every value but these as true. */
const isTruthy = (value: string | undefined) => value !== undefined && !['', '0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF'].includes(value);
/**
 * The `stream` an event names, as Mastodon's: the stream, and for a hashtag stream the tag as
 * the client subscribed to it (`["hashtag", "party"]`), so a client tells its subscriptions apart.
 */
/** A hashtag as posts store it (status_tags.tag) and as its channel is named. */
const tagKey = (tag: string) => tag.normalize('NFKC').toLowerCase();
const streamOf = (s: { name: StreamName; tag?: string }): string[] => (s.tag !== undefined ? [s.name, s.tag] : [s.name]);

/**
 * Mastodon's streaming API: WebSocket at /api/v1/streaming (token in the query, in
 * Sec-WebSocket-Protocol, as a bearer header or the web client's cookie) and server-sent events
 * at /api/v1/streaming/{user,public,hashtag}. Each event is re-checked against the viewer's
 * access before it is sent. A revoked token, or a suspended or disabled account, loses its open
 * streams at once: the revocation is pushed on the account's `session:<id>` channel (in every
 * process, through the pub/sub), never polled.
 */
export async function registerStreamingRoutes(app: FastifyInstance, services: Services, metrics: Pick<Metrics, 'streamOpened'>): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };
  /** One load of a post's shared part for all its recipients in this process. */
  const sharedPosts = new SharedPostCache(services.hydrator);
  /**
   * Open connections by their end, with their token. Revocations are pushed (openSession); the
   * one revocation that cannot be pushed is `npm run admin -- admin suspend` without Redis (another
   * process with no channel to this one). For it alone, once a minute, one query per 500 open
   * connections of this process (not one per connection) ends those whose token was revoked.
   */
  const openConnections = new Map<() => void, string>();
  if (!services.config.redisUrl) {
    const sweep = setInterval(() => {
      if (openConnections.size === 0) return;
      const ends = [...openConnections];
      services.repositories.tokens
        .revokedAmong([...new Set(ends.map(([, tokenId]) => tokenId))])
        .then((revoked) => {
          for (const [end, tokenId] of ends) if (revoked.has(tokenId)) end();
        })
        .catch((err: unknown) => app.log.error({ err }, 'checking open streams\' tokens failed'));
    }, 60_000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));
  }

  const tokenOf = (request: FastifyRequest): { token: string; kind: 'oauth' | 'session' } | undefined => {
    const query = request.query as Record<string, unknown>;
    if (typeof query.access_token === 'string' && query.access_token) return { token: query.access_token, kind: 'oauth' };
    const header = request.headers.authorization;
    const bearer = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (bearer) return { token: bearer, kind: 'oauth' };
    const protocol = request.headers['sec-websocket-protocol'];
    if (typeof protocol === 'string' && protocol.trim()) return { token: protocol.split(',')[0].trim(), kind: 'oauth' };
    const cookie = request.cookies?.[SESSION_COOKIE];
    if (cookie) return { token: cookie, kind: 'session' };
    return undefined;
  };

  const authenticate = async (request: FastifyRequest): Promise<{ principal: Principal; token: string; kind: 'oauth' | 'session' }> => {
    const found = tokenOf(request);
    if (!found) throw unauthorized('Missing access token');
    const principal = await services.auth.authenticate(found.token, found.kind);
    if (!principal.viewer) throw new AppError(422, 'This method requires an authenticated user');
    // A stream is an authenticated request too: no_access IP blocks refuse it (domain/admin/ip-blocks.ts).
    await services.admin.ipBlocks.refuseNoAccess(request.ip);
    if (!hasScope(principal.scopes, 'read:statuses') && !hasScope(principal.scopes, 'read:notifications')) {
      throw new AppError(403, 'This action is outside the authorized scopes');
    }
    return { principal, ...found };
  };

  /**
   * One connection's subscriptions; `send` writes one event in the transport's format.
   *
   * What arrives was addressed to this viewer by the sender (domain/realtime/stream-delivery.ts):
   * on its own channel the posts that may be in its home feed, its notifications and
   * conversations; on `public` and `tag:<tag>` (subscribed only when such a stream is) the
   * publicly listable posts. The shared part of a post is loaded once per process for all its
   * recipients here (SharedPostCache); each connection adds its own part (the viewer's context
   * and marks: two queries) and applies its rules. The viewer's filters and home sources are
   * loaded once per connection and reloaded when the viewer changes them.
   */
  const openSession = (transport: 'websocket' | 'sse', auth: Awaited<ReturnType<typeof authenticate>>, send: (streams: string[], event: string, payload: string) => void, close: () => void) => {
    const viewer = auth.principal.viewer!;
    const subscribed = new Map<string, { name: StreamName; tag?: string; list?: string }>();
    /** Ids of the lists this connection streams (the list stream; `list` names the list). */
    const listIds = () => [...subscribed.values()].flatMap((s) => (s.name === 'list' && s.list ? [s.list] : []));
    const key = (name: string, tag?: string) => (tag ? `${name}#${tag.toLowerCase()}` : name);
    let filters: Promise<StreamFilters> | undefined;
    let home: Promise<HomeSources> | undefined;
    const filtersOf = () => (filters ??= services.filters.streamRules(viewer).catch((error: unknown) => ((filters = undefined), Promise.reject(error))));
    const homeOf = () => (home ??= services.feeds.homeSources(viewer).catch((error: unknown) => ((home = undefined), Promise.reject(error))));
    /** Sends a post to some of this connection's streams, with the viewer's filters of each stream's context (a hide match is not sent). */
    const sendPost = async (event: string, post: HydratedPost, streams: string[][]) => {
      if (streams.length === 0) return;
      const rules = await filtersOf();
      const payloads = new Map<'home' | 'public', string | undefined>();
      for (const stream of streams) {
        const context = stream[0] === 'user' || stream[0] === 'list' ? 'home' : 'public';
        if (!payloads.has(context)) {
          const [shown] = rules.apply(context, [post]);
          payloads.set(context, shown ? JSON.stringify(presentStatus(ctx, shown)) : undefined);
        }
        const payload = payloads.get(context);
        if (payload) send(stream, event, payload);
      }
    };

    /**
     * A message reached one of the viewer's conversations (published on their own channel only):
     * the Conversation as this viewer sees it, on the direct stream and, as Mastodon does, the
     * user stream.
     */
    const onConversation = async (message: Extract<StreamMessage, { kind: 'conversation' }>) => {
      const wants = [...subscribed.values()].filter((s) => s.name === 'direct' || s.name === 'user');
      if (wants.length === 0) return;
      try {
        const payload = JSON.stringify(presentConversation(ctx, await services.conversations.get(viewer, message.conversationId)));
        for (const s of wants) send([s.name], 'conversation', payload);
      } catch {
        // removed or gone: nothing to send
      }
    };

    const onNotification = async (message: Extract<StreamMessage, { kind: 'notification' }>) => {
      const wants = [...subscribed.values()].filter((s) => s.name === 'user' || s.name === 'user:notification');
      if (wants.length === 0) return;
      try {
        // As the Mastodon API reads it: never a type Mastodon lacks, never a filtered one.
        const row = await services.notifications.get(viewer, message.id, 'mastodon');
        const [presented] = await presentNotificationRows(services, viewer, [row]);
        // One event per subscription, as Mastodon sends them (`["user"]`, `["user:notification"]`).
        if (presented) for (const s of wants) send([s.name], 'notification', JSON.stringify(presented));
      } catch {
        // hidden or gone: nothing to send
      }
    };

    /** A post that may be in the viewer's home feed: the user stream by the home rule, list streams by the list's. */
    const onHomePost = async (message: PostMessage) => {
      const lists = listIds();
      if (!subscribed.has('user') && lists.length === 0) return;
      const shared = await sharedPosts.get(message.id, message.rev);
      const mine = await services.hydrator.viewerPart(viewer, shared);
      if (subscribed.has('user')) {
        // The home feed's rule with its followed tags and exclusive lists, as the timeline reads it.
        const [post] = services.hydrator.select(viewer, [message.id], shared, mine, 'home', await homeOf());
        if (post) await sendPost(message.event, post, [['user']]);
      }
      if (lists.length) {
        // The list stream: a member's post, by the list timeline's rule (followed, not muted, visible).
        const [member] = services.hydrator.select(viewer, [message.id], shared, mine, 'home');
        if (member) await sendPost(message.event, member, (await services.lists.streamsFor(viewer, lists, member.author.id)).map((id) => ['list', id]));
      }
    };

    /** A publicly listable post: the public streams, or the hashtag streams of `tag`. */
    const onPublicPost = async (message: PostMessage, tag?: string) => {
      const targets = [...subscribed.values()].filter((s) => (tag === undefined ? s.name.startsWith('public') : s.tag !== undefined && tagKey(s.tag) === tag));
      if (targets.length === 0) return;
      const shared = await sharedPosts.get(message.id, message.rev);
      const [post] = services.hydrator.select(viewer, [message.id], shared, await services.hydrator.viewerPart(viewer, shared));
      if (!post || !isPubliclyListable(post.status, post.author)) return;
      // The rule of the public timeline's only_media: the post's has_media.
      await sendPost(message.event, post, targets.filter((s) => !isMediaStream(s.name) || post.status.has_media === 1).map(streamOf));
    };

    /** A delete reaches only the streams that could have shown the post to this viewer. */
    const onDelete = async (message: DeleteMessage, source: 'user' | 'public', tag?: string) => {
      sharedPosts.drop(message.id);
      const ctx = await services.repositories.relationships.loadViewerContext(viewer, [message.author.id]);
      const isMentioned = message.mentionedIds.includes(viewer.accountId);
      if (!canViewPost(ctx, message.post, message.author, { isMentioned })) return;
      if (source === 'user') {
        // A list stream showed the post if its author is a member and the list's rule admitted it.
        const lists = listIds();
        if (lists.length && belongsInHomeFeed(ctx, message.post)) {
          for (const id of await services.lists.streamsFor(viewer, lists, message.author.id)) send(['list', id], 'delete', message.id);
        }
        if (!subscribed.has('user')) return;
        const sources = await homeOf();
        if (belongsInHomeFeed(ctx, message.post, sources, isBroughtByFollowedTag(message.post, message.author, message.tags, sources.followedTags)) || isMentioned) send(['user'], 'delete', message.id);
        return;
      }
      const targets = [...subscribed.values()].filter((s) => {
        if (isMediaStream(s.name) && !message.hasMedia) return false;
        return tag === undefined ? s.name.startsWith('public') : s.tag !== undefined && tagKey(s.tag) === tag;
      });
      for (const s of targets) send(streamOf(s), 'delete', message.id);
    };

    const onOwnChannel = async (message: StreamMessage) => {
      if (message.kind === 'notification') return onNotification(message);
      if (message.kind === 'conversation') return onConversation(message);
      if (message.kind === 'post') return onHomePost(message);
      if (message.kind === 'delete') return onDelete(message, 'user');
      if (message.kind === 'home.changed') home = undefined;
      if (message.kind === 'filters.changed') filters = undefined;
    };
    const onPublicChannel = (tag?: string) => async (message: StreamMessage) => {
      if (message.kind === 'post') return onPublicPost(message, tag);
      if (message.kind === 'delete') return onDelete(message, 'public', tag);
    };

    // Events are handled one after another, in the order they happened, so a stream never
    // shows a delete before the update it removes, or a notification before an earlier event.
    let queue: Promise<void> = Promise.resolve();
    const inOrder = (handle: (m: StreamMessage) => Promise<void>) => (m: StreamMessage) => {
      queue = queue.then(() => handle(m)).catch(() => undefined);
    };
    const unsubscribers = [services.pubsub.subscribe(userChannel(viewer.accountId), inOrder(onOwnChannel))];
    /** The public and hashtag channels this connection listens to, once one of its streams needs them. */
    const channels = new Set<string>();
    const listen = (channel: string, handle: (m: StreamMessage) => Promise<void>) => {
      if (channels.has(channel)) return;
      channels.add(channel);
      unsubscribers.push(services.pubsub.subscribe(channel, inOrder(handle)));
    };
    // While it lasts, this account is live: the senders publish its posts to its channel.
    unsubscribers.push(services.presence.connect(viewer.accountId));
    unsubscribers.push(metrics.streamOpened(transport));
    // Revocations of this connection's token, or of every token of its account, end it.
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      close();
    };
    unsubscribers.push(
      services.pubsub.subscribe(sessionChannel(viewer.accountId), (message) => {
        if (message.kind === 'revoked' && (message.tokenIds === 'all' || message.tokenIds.includes(auth.principal.tokenId))) end();
      }),
    );
    openConnections.set(end, auth.principal.tokenId);
    // Revoked between the upgrade's authentication and this subscription: checked once, now.
    services.auth.authenticate(auth.token, auth.kind).catch(() => end());

    return {
      subscribe(name: string, tag?: string): boolean {
        if (!STREAMS.includes(name as StreamName)) return false;
        if (name.startsWith('hashtag') && (!tag || tag.length > 100)) return false;
        // For the list stream the parameter is the list's id (`list`); a list that is not the
        // viewer's is accepted and delivers nothing, like one that does not exist.
        if (name === 'list') {
          if (!tag || !isId(tag)) return false;
          subscribed.set(`list#${tag}`, { name: 'list', list: tag });
          return true;
        }
        subscribed.set(key(name, tag), { name: name as StreamName, tag });
        if (name.startsWith('public')) listen(PUBLIC_CHANNEL, onPublicChannel());
        if (tag !== undefined && name.startsWith('hashtag')) listen(tagChannel(tagKey(tag)), onPublicChannel(tagKey(tag)));
        return true;
      },
      unsubscribe(name: string, tag?: string) {
        subscribed.delete(name === 'list' ? `list#${tag}` : key(name, tag));
      },
      end() {
        ended = true;
        openConnections.delete(end);
        for (const u of unsubscribers) u();
      },
    };
  };

  app.get('/api/v1/streaming/health', { config: { auth: 'none' } }, async (_request, reply) => reply.type('text/plain').send('OK'));

  app.get(
    '/api/v1/streaming',
    {
      websocket: true,
      config: { auth: 'none' },
      preValidation: async (request: FastifyRequest) => {
        const streamAuth = await authenticate(request);
        // A browser sends the session cookie with a WebSocket opened by any site, so a
        // cookie-authenticated upgrade must come from this instance's own pages (tokens are
        // never sent by the browser on its own, so they need no such check).
        if (streamAuth.kind === 'session' && request.headers.origin !== new URL(services.config.publicUrl).origin) {
          throw new AppError(403, 'This stream may only be opened from the instance\'s own pages');
        }
        (request as FastifyRequest & { streamAuth?: unknown }).streamAuth = streamAuth;
      },
    },
    (socket, request) => {
      const auth = (request as FastifyRequest & { streamAuth: Awaited<ReturnType<typeof authenticate>> }).streamAuth;
      const session = openSession(
        'websocket',
        auth,
        (streams, event, payload) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ stream: streams, event, payload }));
        },
        () => socket.close(4001, 'Unauthorized'),
      );
      const query = request.query as Record<string, string | undefined>;
      if (query.stream) session.subscribe(query.stream, query.stream === 'list' ? query.list : query.tag);
      socket.on('message', (data) => {
        try {
          const msg = JSON.parse(String(data)) as { type?: string; stream?: string; tag?: string; list?: string };
          const param = msg.stream === 'list' ? msg.list : msg.tag;
          if (msg.type === 'subscribe' && msg.stream) {
            if (!session.subscribe(msg.stream, param)) socket.send(JSON.stringify({ error: 'Unknown stream type', status: 400 }));
          } else if (msg.type === 'unsubscribe' && msg.stream) session.unsubscribe(msg.stream, param);
        } catch {
          socket.send(JSON.stringify({ error: 'Invalid message', status: 400 }));
        }
      });
      socket.on('close', () => session.end());
    },
  );

  const sse = (name: StreamName) => async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = await authenticate(request);
    // As on the rest of the API, a page of another site cannot use the visitor's session cookie.
    if (auth.kind === 'session' && isCrossOrigin(request, new URL(services.config.publicUrl).origin)) throw unauthorized('Missing access token');
    const query = request.query as Record<string, string | undefined>;
    const tag = name === 'list' ? query.list : query.tag;
    // As Mastodon's paths: /public?only_media=true is public:media, /public/local?only_media=true public:local:media.
    const stream: StreamName = (name === 'public' || name === 'public:local') && isTruthy(query.only_media) ? `${name}:media` : name;
    reply.hijack();
    const res = reply.raw;
    // The headers set so far (CORS, rate limits) go out with the stream's own.
    res.writeHead(200, { ...(reply.getHeaders() as Record<string, string | number | string[]>), 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff' });
    res.write(':)\n\n');
    const session = openSession(
      'sse',
      auth,
      (_streams, event, payload) => res.write(`event: ${event}\ndata: ${payload}\n\n`),
      () => res.end(),
    );
    if (!session.subscribe(stream, tag)) {
      res.end();
      session.end();
      return;
    }
    const heartbeat = setInterval(() => res.write(':thump\n\n'), 15_000);
    heartbeat.unref();
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      session.end();
    });
  };
  app.get('/api/v1/streaming/user', { config: { auth: 'none' } }, sse('user'));
  app.get('/api/v1/streaming/user/notification', { config: { auth: 'none' } }, sse('user:notification'));
  app.get('/api/v1/streaming/public', { config: { auth: 'none' } }, sse('public'));
  app.get('/api/v1/streaming/public/local', { config: { auth: 'none' } }, sse('public:local'));
  app.get('/api/v1/streaming/hashtag', { config: { auth: 'none' } }, sse('hashtag'));
  app.get('/api/v1/streaming/hashtag/local', { config: { auth: 'none' } }, sse('hashtag:local'));
  app.get('/api/v1/streaming/list', { config: { auth: 'none' } }, sse('list'));
  app.get('/api/v1/streaming/direct', { config: { auth: 'none' } }, sse('direct'));
}
