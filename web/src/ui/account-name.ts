import type { Account } from '../api/mastodon-types.ts';

/** The name people see: the display name, or the username when none is set. */
export function displayNameOf(account: Pick<Account, 'display_name' | 'username'>): string {
  const name = account.display_name?.trim();
  return name ? name : account.username;
}

export function profilePath(account: Pick<Account, 'username' | 'acct'>): string {
  return `/@${account.acct || account.username}`;
}
