import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { countLimitQuery, idParam, parseInput } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentConversation } from '../mastodon/presenters/conversation.presenter.ts';
import { presentStatus } from '../mastodon/presenters/status.presenter.ts';

/**
 * The inbox's threads, beside Mastodon's conversation list (which has no way to read one):
 * - GET /api/glimpse/v1/conversations/:id: the Conversation entity, as the list shows it;
 * - GET /api/glimpse/v1/conversations/:id/messages: its messages the viewer reads (the sender
 *   and those it was delivered to, access/message-policy.ts), newest first, paged by max_id,
 *   since_id and min_id with Link headers.
 * - GET /api/glimpse/v1/conversations/unread_count: `{count}` of the viewer's unread
 *   conversations, up to `limit` (default 100, at most 1000), as the inbox's badge shows it.
 * The first two answer 404 for a conversation that is not the viewer's, or that the viewer removed.
 * A message is sent as Mastodon sends one: POST /api/v1/statuses, visibility "direct",
 * in_reply_to_id a message of the thread.
 */
export function registerGlimpseConversationRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };

  app.get('/api/glimpse/v1/conversations/unread_count', { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const { limit } = parseInput(countLimitQuery, request.query);
    return { count: await services.conversations.unreadCount(requireViewer(request.viewer), limit ?? 100) };
  });

  app.get('/api/glimpse/v1/conversations/:id', { config: { auth: 'user', scope: 'read:statuses' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentConversation(ctx, await services.conversations.get(requireViewer(request.viewer), id));
  });

  app.get('/api/glimpse/v1/conversations/:id/messages', { config: { auth: 'user', scope: 'read:statuses' } }, async (request, reply) => {
    const { id } = parseInput(idParam, request.params);
    const paging = parsePaging(request.query, 30, 60);
    const page = await services.conversations.messages(requireViewer(request.viewer), id, paging);
    setLinkHeader(request, reply, services.config.publicUrl, page.ids, paging.limit);
    return page.messages.map((m) => presentStatus(ctx, m));
  });
}
