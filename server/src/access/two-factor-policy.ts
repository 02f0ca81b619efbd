import { type Role, isStaffRole } from './staff-policy.ts';

/**
 * Who must use two-factor log-in. With GLIMPSE_REQUIRE_TWO_FACTOR_STAFF=on, admins and
 * moderators must: one without it may still give the right password, and is then let in only
 * to enrol (a short-lived enrolment ticket instead of a session, domain/auth/two-factor-service.ts),
 * never refused for good, so no admin is locked out. Users choose for themselves. (No query
 * selects by this rule, so it has no SQL form; `staffSql` would be it.)
 */
export function mustUseTwoFactor(role: Role | null | undefined, requiredForStaff: boolean): boolean {
  return requiredForStaff && isStaffRole(role);
}

/**
 * Turning two-factor log-in off: only for those who are not required to have it. A staff
 * member under the requirement keeps it (and may regenerate recovery codes).
 */
export function canDisableTwoFactor(role: Role | null | undefined, requiredForStaff: boolean): boolean {
  return !mustUseTwoFactor(role, requiredForStaff);
}
