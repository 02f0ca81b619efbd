import type { ApiClient, Page } from './api-client.ts';
import type { Account, CredentialAccount, Relationship } from './mastodon-types.ts';

export type AccountAction = 'follow' | 'unfollow' | 'block' | 'unblock' | 'mute' | 'unmute' | 'remove_from_followers';

const id = (value: string) => encodeURIComponent(value);

export function verifyCredentials(api: ApiClient, signal?: AbortSignal): Promise<CredentialAccount> {
  return api.get('/api/v1/accounts/verify_credentials', undefined, signal);
}

export function updateCredentials(api: ApiClient, changes: { display_name?: string; note?: string; locked?: boolean }): Promise<CredentialAccount> {
  return api.patch('/api/v1/accounts/update_credentials', changes);
}

export function lookupAccount(api: ApiClient, username: string, signal?: AbortSignal): Promise<Account> {
  return api.get('/api/v1/accounts/lookup', { acct: username }, signal);
}

export function searchAccounts(api: ApiClient, q: string, signal?: AbortSignal, limit = 20): Promise<Account[]> {
  return api.get('/api/v1/accounts/search', { q, limit, resolve: false }, signal);
}

export async function fetchRelationship(api: ApiClient, accountId: string, signal?: AbortSignal): Promise<Relationship | null> {
  const list = await api.get<Relationship[]>('/api/v1/accounts/relationships', { id: [accountId] }, signal);
  return list.find((r) => r.id === accountId) ?? null;
}

export function accountAction(api: ApiClient, accountId: string, action: AccountAction): Promise<Relationship> {
  return api.post(`/api/v1/accounts/${id(accountId)}/${action}`);
}

export type AccountListKind = 'followers' | 'following';

/** Followers/following of an account, blocks, mutes or follow requests: each pages with Link. */
export function accountListPath(kind: AccountListKind, accountId: string): string {
  return `/api/v1/accounts/${id(accountId)}/${kind}`;
}

export function fetchAccountPage(api: ApiClient, path: string, signal?: AbortSignal): Promise<Page<Account>> {
  return api.getPage<Account>(path, undefined, signal);
}

export function answerFollowRequest(api: ApiClient, accountId: string, verdict: 'authorize' | 'reject'): Promise<Relationship> {
  return api.post(`/api/v1/follow_requests/${id(accountId)}/${verdict}`);
}
