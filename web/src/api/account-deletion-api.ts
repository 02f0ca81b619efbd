import type { ApiClient } from './api-client.ts';

const DELETION = '/api/glimpse/v1/account/deletion';

export interface AccountDeletionStatus {
  scheduled: boolean;
  /** When the account will be removed (ISO), once asked. */
  due_at: string | null;
  /** Days between asking and the removal on this instance. */
  grace_days: number;
}

export function fetchAccountDeletion(api: ApiClient): Promise<AccountDeletionStatus> {
  return api.get(DELETION);
}

/** Asks for deletion; the server ends every session, this one included. `code`: two-factor code when it is on. */
export function requestAccountDeletion(api: ApiClient, password: string, code?: string): Promise<AccountDeletionStatus> {
  return api.post(DELETION, code ? { password, code } : { password });
}
