import { type AccountRow, type UserRow, profileFieldsOf } from '../../../domain/accounts/account.ts';
import { renderCaptionHtml } from '../../../domain/posts/caption.ts';
import { plainToHtml } from '../../text-html.ts';
import { type CustomEmojiCatalog, presentEmojisIn } from './custom-emoji.presenter.ts';
import type { Account, AccountField, CredentialAccount } from '../entities.ts';

export interface PresentContext {
  publicUrl: string;
  domain: string;
  /** The instance's custom emojis, for the `emojis` arrays (services.config carries them). */
  customEmojis?: CustomEmojiCatalog;
}

/**
 * Profile fields as Mastodon shows them: the name as typed, the value as HTML rendered like a
 * caption (everything escaped, links and hashtags linked) on one line. Nothing is verified.
 */
function presentFields(ctx: PresentContext, account: AccountRow): AccountField[] {
  return profileFieldsOf(account).map((f) => ({
    name: f.name,
    value: renderCaptionHtml(f.value.replace(/\s*[\r\n]+\s*/g, ' '), ctx.publicUrl, new Map()).replace(/^<p>|<\/p>$/g, ''),
    verified_at: null,
  }));
}

/** The Mastodon Account entity. */
export function presentAccount(ctx: PresentContext, account: AccountRow): Account {
  // Profile images are public by policy (media-policy.ts): their stored path needs no signature.
  const avatar = account.avatar_path ? `${ctx.publicUrl}${account.avatar_path}` : `${ctx.publicUrl}/static/avatar-missing.png`;
  const header = account.header_path ? `${ctx.publicUrl}${account.header_path}` : `${ctx.publicUrl}/static/header-missing.png`;
  return {
    id: account.id,
    username: account.username,
    acct: account.username,
    display_name: account.display_name,
    locked: Boolean(account.locked),
    bot: false,
    discoverable: Boolean(account.discoverable),
    indexable: Boolean(account.discoverable),
    group: false,
    created_at: account.created_at,
    note: plainToHtml(account.note),
    url: `${ctx.publicUrl}/@${account.username}`,
    uri: `${ctx.publicUrl}/users/${account.username}`,
    avatar,
    avatar_static: avatar,
    header,
    header_static: header,
    followers_count: account.followers_count,
    following_count: account.following_count,
    statuses_count: account.statuses_count,
    last_status_at: null,
    hide_collections: false,
    noindex: false,
    emojis: presentEmojisIn(ctx, account.display_name, account.note, ...profileFieldsOf(account).flatMap((f) => [f.name, f.value])),
    roles: [],
    fields: presentFields(ctx, account),
  };
}

/** verify_credentials and update_credentials add the account's own settings. */
export function presentCredentialAccount(ctx: PresentContext, account: AccountRow, user: UserRow, followRequestsCount: number): CredentialAccount {
  return {
    ...presentAccount(ctx, account),
    source: {
      privacy: account.locked ? 'private' : 'public',
      sensitive: false,
      language: null,
      note: account.note,
      fields: profileFieldsOf(account).map((f) => ({ ...f, verified_at: null })),
      follow_requests_count: followRequestsCount,
      hide_collections: false,
      discoverable: Boolean(account.discoverable),
      indexable: Boolean(account.discoverable),
    },
    role: {
      id: user.role === 'admin' ? '3' : user.role === 'moderator' ? '2' : '-99',
      name: user.role === 'user' ? '' : user.role === 'admin' ? 'Admin' : 'Moderator',
      permissions: user.role === 'admin' ? '1' : '0',
      color: '',
      highlighted: user.role !== 'user',
    },
  };
}
