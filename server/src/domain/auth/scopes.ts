/**
 * OAuth scopes as Mastodon defines them: top-level `read`, `write`, `follow`, `push`,
 * `profile`, and granular ones such as `read:statuses`. A granted top-level scope covers its
 * granular children; the legacy `follow` scope covers the follow-graph ones.
 */
export const TOP_LEVEL_SCOPES = ['read', 'write', 'follow', 'push', 'profile', 'admin:read', 'admin:write'] as const;

const GRANULAR = {
  read: ['accounts', 'blocks', 'bookmarks', 'favourites', 'filters', 'follows', 'lists', 'mutes', 'notifications', 'search', 'statuses'],
  write: ['accounts', 'blocks', 'bookmarks', 'conversations', 'favourites', 'filters', 'follows', 'lists', 'media', 'mutes', 'notifications', 'reports', 'statuses'],
} as const;

/** Mastodon's granular admin scopes (admin:read:accounts …), covered by admin:read / admin:write. */
const ADMIN_GRANULAR = ['accounts', 'reports', 'domain_allows', 'domain_blocks', 'ip_blocks', 'email_domain_blocks', 'canonical_email_blocks'] as const;

const FOLLOW_COVERS = new Set(['read:blocks', 'write:blocks', 'read:follows', 'write:follows', 'read:mutes', 'write:mutes']);

export const ALL_SCOPES: ReadonlySet<string> = new Set<string>([
  ...TOP_LEVEL_SCOPES,
  ...GRANULAR.read.map((s) => `read:${s}`),
  ...GRANULAR.write.map((s) => `write:${s}`),
  ...ADMIN_GRANULAR.flatMap((s) => [`admin:read:${s}`, `admin:write:${s}`]),
]);

export function parseScopes(raw: string | undefined, fallback = 'read'): string[] {
  const list = (raw ?? '').split(/[\s+]+/).filter(Boolean);
  return [...new Set(list.length ? list : [fallback])];
}

export function areValidScopes(scopes: string[]): boolean {
  return scopes.length > 0 && scopes.every((s) => ALL_SCOPES.has(s));
}

/** Whether the granted scopes allow an action that needs `required` (e.g. 'write:statuses'). */
export function hasScope(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  // The parent is everything before the last colon: read:statuses → read, admin:read:accounts → admin:read.
  const top = required.slice(0, Math.max(0, required.lastIndexOf(':')));
  if (top !== '' && granted.includes(top)) return true;
  if (granted.includes('follow') && FOLLOW_COVERS.has(required)) return true;
  // verify_credentials accepts the narrow `profile` scope as well as read:accounts.
  if (required === 'profile') return hasScope(granted, 'read:accounts');
  return false;
}

/** Whether every requested scope is within what the app registered. */
export function isSubsetOf(requested: string[], registered: string[]): boolean {
  return requested.every((s) => registered.includes(s) || hasScope(registered, s));
}
