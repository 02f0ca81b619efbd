import { type Expression, type SqlBool, sql } from 'kysely';
import type { Viewer } from './viewer-context.ts';

/**
 * Who may use the admin API (Mastodon's /api/v1/admin/*, and the web client's report queue).
 * Glimpse has three fixed roles (`users.role`): moderators work the report queue and the
 * accounts (Mastodon's Manage Reports and Manage Users), admins do that and also manage the IP
 * and e-mail-domain blocks (Manage Blocks). Pure predicates; the role is the one the request's
 * token resolved to (read with the token on every request).
 */
export type Role = Viewer['role'];

const RANK: Record<Role, number> = { user: 0, moderator: 1, admin: 2 };

/** Staff: anyone with a role above user. */
export function isStaffRole(role: Role | null | undefined): boolean {
  return role === 'moderator' || role === 'admin';
}

/** The SQL form of isStaffRole over a users row (`alias`.role), for the `staff` account filter. */
export function staffSql(alias = 'users'): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${alias}.role`)} IN ('moderator', 'admin')`;
}

/** Reading and acting on reports and accounts (approve, suspend, disable …). */
export function canModerate(viewer: Viewer | undefined): boolean {
  return isStaffRole(viewer?.role);
}

/** Managing IP blocks and e-mail domain blocks: admins only. */
export function canAdminister(viewer: Viewer | undefined): boolean {
  return viewer?.role === 'admin';
}

/**
 * Changing the instance settings (title, description, rules, registrations, default hidden
 * words, limits: domain/instance/instance-settings.ts): admins only, never moderators.
 */
export function canManageInstance(viewer: Viewer | undefined): boolean {
  return viewer?.role === 'admin';
}

/**
 * Acting on one account (approve, reject, disable, enable, suspend, unsuspend): a moderator
 * acts on accounts of a lower role only, never on oneself, so a moderator cannot suspend an
 * admin and nobody locks themselves out. Admins act on users and moderators.
 */
export function canActOnAccount(viewer: Viewer | undefined, target: { id: string; role: Role }): boolean {
  if (!viewer || !canModerate(viewer)) return false;
  if (viewer.accountId === target.id) return false;
  return RANK[target.role] < RANK[viewer.role];
}

/**
 * The Mastodon Role entity a Glimpse role is shown as: ids and names of Mastodon's default
 * roles, permissions as Mastodon's bitmask (Administrator 0x1; Manage Reports 0x10 and Manage
 * Users 0x400 for moderators; nothing for users, Glimpse has no invites). Ids and permissions
 * are strings, as Mastodon's serializer writes them.
 */
export const ROLE_ENTITIES: Record<Role, { id: string; name: string; permissions: string; color: string; highlighted: boolean }> = {
  user: { id: '-99', name: '', permissions: '0', color: '', highlighted: false },
  moderator: { id: '1', name: 'Moderator', permissions: String(0x10 | 0x400), color: '', highlighted: true },
  admin: { id: '2', name: 'Admin', permissions: String(0x1), color: '', highlighted: true },
};

/** The roles named by Role ids (`role_ids[]`); unknown ids name none. */
export function rolesByIds(ids: readonly string[]): Role[] {
  return (Object.keys(ROLE_ENTITIES) as Role[]).filter((role) => ids.includes(ROLE_ENTITIES[role].id));
}
