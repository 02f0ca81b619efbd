import type { ApiClient } from './api-client.ts';
import type { Account } from './mastodon-types.ts';

const TWO_FACTOR = '/api/glimpse/v1/two_factor';

export interface TwoFactorStatus {
  enabled: boolean;
  pending: boolean;
  recovery_codes_remaining: number;
  /** The instance requires it of this account (staff). */
  required: boolean;
}

export interface TwoFactorEnrolment {
  secret: string;
  otpauth_uri: string;
  /** SVG markup of the QR code, shown as an image. */
  qr_svg: string;
}

export interface ConfirmedEnrolment {
  recovery_codes: string[];
  /** Set when enrolling with an enrolment token: the session it started. */
  account?: Account;
  csrf_token?: string;
}

/** `enrolmentToken`: a staff member's ticket from the log-in, instead of a session. */
export function startTwoFactor(api: ApiClient, enrolmentToken?: string): Promise<TwoFactorEnrolment> {
  return api.post(TWO_FACTOR, enrolmentToken ? { enrolment_token: enrolmentToken } : {});
}

export function confirmTwoFactor(api: ApiClient, code: string, enrolmentToken?: string): Promise<ConfirmedEnrolment> {
  return api.post(`${TWO_FACTOR}/confirm`, { code, ...(enrolmentToken ? { enrolment_token: enrolmentToken } : {}) });
}

export function fetchTwoFactor(api: ApiClient): Promise<TwoFactorStatus> {
  return api.get(TWO_FACTOR);
}

export function regenerateRecoveryCodes(api: ApiClient, code: string): Promise<{ recovery_codes: string[] }> {
  return api.post(`${TWO_FACTOR}/recovery_codes`, { code });
}

export function disableTwoFactor(api: ApiClient, password: string, code: string): Promise<unknown> {
  return api.delete(TWO_FACTOR, { password, code });
}
