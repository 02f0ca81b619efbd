import type { MediaUrls } from '../../../domain/media/media-urls.ts';
import type { HydratedScheduledStatus } from '../../../domain/scheduled/scheduled-status-service.ts';
import { mediaIdsOf } from '../../../domain/scheduled/scheduled-status.ts';
import { presentMediaAttachment } from './media-attachment.presenter.ts';

/**
 * The Mastodon ScheduledStatus entity. `params` are what will be posted; `params.scheduled_at`
 * is null as on Mastodon (the time is the entity's own `scheduled_at`). The photos are not on a
 * post yet, so their URLs are signed.
 */
export function presentScheduledStatus(urls: MediaUrls, { row, media }: HydratedScheduledStatus) {
  const mediaIds = mediaIdsOf(row);
  return {
    id: row.id,
    scheduled_at: row.scheduled_at,
    params: {
      text: row.text,
      media_ids: mediaIds.length > 0 ? mediaIds : null,
      sensitive: row.sensitive === 1,
      spoiler_text: row.spoiler_text === '' ? null : row.spoiler_text,
      visibility: row.visibility,
      in_reply_to_id: row.in_reply_to_id,
      language: row.language,
      idempotency: row.idempotency,
      scheduled_at: null,
      application_id: row.application_id,
      poll: null,
      with_rate_limit: false,
    },
    media_attachments: media.map((m) => presentMediaAttachment(urls, m, { restricted: true })),
  };
}
