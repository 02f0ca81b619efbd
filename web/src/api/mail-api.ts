import type { ApiClient } from './api-client.ts';

/**
 * Mail-backed account flows (server: domain/auth/password-reset.ts,
 * domain/accounts/email-confirmation.ts). A reset request answers the same whether or not the
 * address has an account; tokens come from the links mailed out.
 */
export function requestPasswordReset(api: ApiClient, email: string): Promise<unknown> {
  return api.post('/api/glimpse/v1/password_resets', { email });
}

export function resetPassword(api: ApiClient, token: string, password: string): Promise<unknown> {
  return api.request('PUT', `/api/glimpse/v1/password_resets/${encodeURIComponent(token)}`, { body: { password } });
}

export function confirmEmail(api: ApiClient, token: string): Promise<unknown> {
  return api.request('PUT', `/api/glimpse/v1/email_confirmations/${encodeURIComponent(token)}`);
}

export interface EmailState {
  email: string;
  confirmed: boolean;
  /** A new address awaiting its confirmation link. */
  unconfirmed_email: string | null;
  mail_enabled: boolean;
}

export function fetchEmail(api: ApiClient): Promise<EmailState> {
  return api.get<EmailState>('/api/glimpse/v1/email');
}

/** With mail, the change waits for the link sent to the new address (`pending`); without, it is made at once. */
export async function changeEmail(api: ApiClient, email: string, currentPassword: string): Promise<{ pending: boolean }> {
  const response = await api.request<{ pending: boolean }>('PUT', '/api/glimpse/v1/email', { body: { email, current_password: currentPassword } });
  return response.data;
}
