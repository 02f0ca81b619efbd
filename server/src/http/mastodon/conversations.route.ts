import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { idParam, parseInput } from '../input.ts';
import { parsePaging, setLinkHeader } from '../paging.ts';
import { requireViewer } from '../route-config.ts';
import { presentConversation } from './presenters/conversation.presenter.ts';

/**
 * Mastodon's conversations (direct messages): the list, paged by each conversation's last
 * status (max_id, since_id, min_id, limit; Link headers), marking one read, and removing one
 * from the list until a new message arrives (and, as masto offers it, marking one unread again).
 */
export function registerConversationRoutes(app: FastifyInstance, services: Services): void {
  const ctx = { ...services.config, mediaUrls: services.mediaUrls };

  app.get('/api/v1/conversations', { config: { auth: 'user', scope: 'read:statuses' } }, async (request, reply) => {
    const paging = parsePaging(request.query, 20, 40);
    const page = await services.conversations.list(requireViewer(request.viewer), paging);
    setLinkHeader(request, reply, services.config.publicUrl, page.ids, paging.limit);
    return page.conversations.map((c) => presentConversation(ctx, c));
  });

  app.post('/api/v1/conversations/:id/read', { config: { auth: 'user', scope: 'write:conversations' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentConversation(ctx, await services.conversations.markRead(requireViewer(request.viewer), id));
  });

  app.post('/api/v1/conversations/:id/unread', { config: { auth: 'user', scope: 'write:conversations' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    return presentConversation(ctx, await services.conversations.markRead(requireViewer(request.viewer), id, false));
  });

  app.delete('/api/v1/conversations/:id', { config: { auth: 'user', scope: 'write:conversations' } }, async (request) => {
    const { id } = parseInput(idParam, request.params);
    await services.conversations.remove(requireViewer(request.viewer), id);
    return {};
  });
}
