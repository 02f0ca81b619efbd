import type { ApiClient } from './api-client.ts';
import type { Account, InstanceV2, Session } from './mastodon-types.ts';

const SESSION = '/api/glimpse/v1/session';

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
  agreement: boolean;
  reason?: string;
}

/** `confirmation-required`: with mail on, the account waits for the link mailed to its address. */
export type SignUpResult = { kind: 'signed-in'; session: Session } | { kind: 'pending-approval' } | { kind: 'confirmation-required'; pendingApproval: boolean };

export function fetchSession(api: ApiClient): Promise<Session> {
  return api.get<Session>(SESSION);
}

/** `code`: the two-factor code or a recovery code, when the server asked for one. */
/** `deletion_cancelled`: the log-in cancelled the account's scheduled deletion. */
export function createSession(api: ApiClient, login: string, password: string, code?: string): Promise<{ account: Account; csrf_token: string; deletion_cancelled?: boolean }> {
  return api.post(SESSION, code === undefined ? { login, password } : { login, password, code });
}

export function deleteSession(api: ApiClient): Promise<unknown> {
  return api.delete(SESSION);
}

export async function register(api: ApiClient, input: SignUpInput): Promise<SignUpResult> {
  const response = await api.request<{ account?: Account; csrf_token?: string; pending_approval?: boolean; confirmation_required?: boolean }>('POST', '/api/glimpse/v1/registrations', { body: input });
  if (response.data?.confirmation_required) return { kind: 'confirmation-required', pendingApproval: Boolean(response.data.pending_approval) };
  if (response.status === 202 || response.data?.pending_approval || !response.data?.account) return { kind: 'pending-approval' };
  return { kind: 'signed-in', session: { account: response.data.account, csrf_token: response.data.csrf_token ?? null } };
}

export function changePassword(api: ApiClient, currentPassword: string, password: string): Promise<unknown> {
  return api.post('/api/glimpse/v1/password', { current_password: currentPassword, password });
}

export function fetchInstance(api: ApiClient): Promise<InstanceV2> {
  return api.get<InstanceV2>('/api/v2/instance');
}
