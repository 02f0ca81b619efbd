import type { AdminAccountRow } from '../../../domain/admin/admin-repository.ts';
import { ROLE_ENTITIES } from '../../../access/staff-policy.ts';
import { type PresentContext, presentAccount } from './account.presenter.ts';

type Ips = ReadonlyMap<string, ReadonlyArray<{ ip: string; used_at: string }>>;

/**
 * Mastodon's Admin::Account. Every Glimpse account is local (`domain` null); `confirmed` is false
 * only while a sign-up made with mail on awaits its confirmation link; Glimpse never silences or sensitizes (both false). `disabled`
 * is a log-in disabled on its own: a suspension also stops log-in, but shows as `suspended`.
 * `ip` is the address last used to sign up or log in, `ips` the most recent ones.
 */
export function presentAdminAccount(ctx: PresentContext, row: AdminAccountRow, ips: Ips) {
  const known = ips.get(row.id) ?? [];
  const suspended = row.suspended_at !== null;
  const role = ROLE_ENTITIES[row.role] ?? ROLE_ENTITIES.user;
  return {
    id: row.id,
    username: row.username,
    domain: null,
    created_at: row.created_at,
    email: row.email,
    ip: known[0]?.ip ?? null,
    ips: known.map((k) => ({ ip: k.ip, used_at: k.used_at })),
    locale: 'en',
    invite_request: row.registration_reason === '' ? null : row.registration_reason,
    role: { ...role },
    confirmed: row.email_confirmed_at !== null,
    suspended,
    silenced: false,
    sensitized: false,
    disabled: Boolean(row.disabled) && !suspended,
    approved: Boolean(row.approved),
    account: presentAccount(ctx, row),
  };
}
