import type { FastifyRequest } from 'fastify';
import type { CreatePostInput } from '../../domain/posts/post-service.ts';
import { type CommentPolicy, POST_LIMITS, type Visibility } from '../../domain/posts/post.ts';
import { unprocessable } from '../../errors.ts';

/** The parsed body of `POST /api/v1/statuses` (statuses.route.ts validates it). */
export interface CreateStatusBody {
  status?: string;
  media_ids?: string[];
  in_reply_to_id?: string | null;
  visibility?: Visibility;
  sensitive?: boolean;
  spoiler_text?: string;
  language?: string | null;
  comment_policy?: CommentPolicy;
  hide_like_count?: boolean;
  media_tags?: Array<{ media_id: string; account_id: string; x: number; y: number }>;
  scheduled_at?: unknown;
}

/** A new post's input from the request, posted now or scheduled; the Idempotency-Key header is bounded. */
export function postInputOf(request: FastifyRequest, body: CreateStatusBody): CreatePostInput {
  const key = request.headers['idempotency-key'];
  if (typeof key === 'string' && key.length > POST_LIMITS.idempotencyKey) throw unprocessable('Validation failed: Idempotency-Key is too long');
  return {
    text: body.status ?? '',
    mediaIds: body.media_ids ?? [],
    inReplyToId: body.in_reply_to_id ?? undefined,
    visibility: body.visibility,
    sensitive: body.sensitive,
    spoilerText: body.spoiler_text,
    language: body.language ?? undefined,
    commentPolicy: body.comment_policy,
    hideLikeCount: body.hide_like_count,
    photoTags: body.media_tags?.map((t) => ({ mediaId: t.media_id, accountId: t.account_id, x: t.x, y: t.y })),
    idempotencyKey: typeof key === 'string' && key !== '' ? key : undefined,
  };
}
