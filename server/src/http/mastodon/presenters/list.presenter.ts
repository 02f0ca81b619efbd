import type { ListRow } from '../../../domain/lists/list-repository.ts';

/** The Mastodon List entity. */
export function presentList(list: ListRow) {
  return { id: list.id, title: list.title, replies_policy: list.replies_policy, exclusive: Boolean(list.exclusive) };
}
