import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Clock } from '../../clock.ts';
import { AppError, forbidden, unauthorized, unprocessable } from '../../errors.ts';
import { canDisableTwoFactor, mustUseTwoFactor } from '../../access/two-factor-policy.ts';
import type { Role } from '../../access/staff-policy.ts';
import type { RateLimit } from '../../infra/rate-limit/rate-limit-store.ts';
import type { AccountRepository } from '../accounts/account-repository.ts';
import { hashToken, safeEqual, verifyPassword } from './secrets.ts';
import type { TwoFactorRepository } from './two-factor-repository.ts';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30 seconds. */
const TOTP_SETTINGS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** Codes of the step before and after now are accepted too (clocks drift). */
const WINDOW = 1;
const RECOVERY_CODE_COUNT = 10;
/** How long a staff member without two-factor log-in may take to enrol after giving the password. */
const ENROLMENT_TICKET_LIFETIME_MS = 15 * 60 * 1000;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface TwoFactorStatus {
  enabled: boolean;
  /** An enrolment was started and waits for its first code. */
  pending: boolean;
  recovery_codes_remaining: number;
  /** The instance requires it of this account (staff under GLIMPSE_REQUIRE_TWO_FACTOR_STAFF). */
  required: boolean;
}

export interface Enrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  otpauth_uri: string;
  /** The otpauth URI as a QR code (SVG markup, no script). */
  qr_svg: string;
}

/** What log-in may go on to, once the password was right. */
export type LogInGate = { kind: 'signed-in' } | { kind: 'enrolment-required'; enrolmentToken: string };

export const twoFactorRequired = (message = 'Enter the code from your authenticator app, or a recovery code') =>
  new AppError(422, message, { two_factor_required: true });

/**
 * Two-factor log-in with TOTP: enrolment (a secret, its otpauth URI and QR code, active after
 * one valid code, then single-use recovery codes shown once), the check at log-in, recovery
 * codes, and turning it off. Secrets are sealed with a key derived from the instance secret.
 * Every code checked spends one attempt of the account's log-in budget (the same limit as
 * GLIMPSE_RATE_LIMIT_LOGIN_ACCOUNT, keyed on the account), and an accepted code's time step is
 * recorded, so the same code is never accepted twice.
 */
export class TwoFactorService {
  private readonly sealKey: Buffer;
  private readonly ticketKey: Buffer;

  constructor(
    private readonly repository: TwoFactorRepository,
    private readonly accounts: AccountRepository,
    private readonly settings: { issuer: string; domain: string; requiredForStaff: boolean },
    secret: string,
    private readonly clock: Clock,
    private readonly codeLimit?: RateLimit,
  ) {
    this.sealKey = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), 'glimpse two-factor secret', 32));
    this.ticketKey = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), 'glimpse two-factor enrolment ticket', 32));
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  async status(accountId: string, role: Role): Promise<TwoFactorStatus> {
    const credential = await this.repository.find(accountId);
    const enabled = Boolean(credential?.confirmed_at);
    return {
      enabled,
      pending: Boolean(credential && !credential.confirmed_at),
      recovery_codes_remaining: enabled ? await this.repository.unusedRecoveryCodes(accountId) : 0,
      required: mustUseTwoFactor(role, this.settings.requiredForStaff),
    };
  }

  async isEnabled(accountId: string): Promise<boolean> {
    return Boolean((await this.repository.find(accountId))?.confirmed_at);
  }

  /** A new secret; starting again before confirming replaces it. Refused while two-factor is on. */
  async startEnrolment(accountId: string): Promise<Enrolment> {
    const account = await this.accounts.findById(accountId);
    if (!account) throw unauthorized();
    const secret = new Secret({ size: 20 });
    const started = await this.repository.startEnrolment(accountId, this.seal(accountId, secret.base32), this.nowIso());
    if (!started) throw unprocessable('Two-factor log-in is already on. Turn it off first to use another authenticator.');
    const totp = new TOTP({ ...TOTP_SETTINGS, issuer: this.settings.issuer, label: `${account.username}@${this.settings.domain}`, secret });
    const uri = totp.toString();
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret: secret.base32, otpauth_uri: uri, qr_svg: svg };
  }

  /** The first valid code turns two-factor log-in on; answers the recovery codes, shown once. */
  async confirmEnrolment(accountId: string, code: string): Promise<string[]> {
    const credential = await this.repository.find(accountId);
    if (!credential) throw unprocessable('Start setting up two-factor log-in first');
    if (credential.confirmed_at) throw unprocessable('Two-factor log-in is already on');
    if (!(await this.checkTotp(accountId, credential.sealed_secret, code))) throw unprocessable('Invalid two-factor code', { two_factor_required: true });
    const codes = newRecoveryCodes();
    if (!(await this.repository.confirm(accountId, codes.map(recoveryHash), this.nowIso()))) throw unprocessable('Two-factor log-in is already on');
    return codes;
  }

  /** New recovery codes replace the old ones; needs a current code (or a recovery code). */
  async regenerateRecoveryCodes(accountId: string, code: string): Promise<string[]> {
    const credential = await this.repository.find(accountId);
    if (!credential?.confirmed_at) throw unprocessable('Two-factor log-in is not on');
    if (!(await this.checkCode(accountId, credential.sealed_secret, code))) throw unprocessable('Invalid two-factor code', { two_factor_required: true });
    const codes = newRecoveryCodes();
    await this.repository.replaceRecoveryCodes(accountId, codes.map(recoveryHash), this.nowIso());
    return codes;
  }

  /** Turning it off takes the password and a code (or a recovery code). */
  async disable(accountId: string, role: Role, password: string, code: string): Promise<void> {
    const credential = await this.repository.find(accountId);
    if (!credential?.confirmed_at) throw unprocessable('Two-factor log-in is not on');
    if (!canDisableTwoFactor(role, this.settings.requiredForStaff)) throw forbidden('Two-factor log-in is required for staff accounts on this instance');
    await this.takeAttempt(accountId);
    const user = await this.accounts.findUser(accountId);
    if (!user || !(await verifyPassword(user.password_hash, password))) throw unprocessable('Current password is incorrect');
    if (!(await this.checkCode(accountId, credential.sealed_secret, code, false))) throw unprocessable('Invalid two-factor code', { two_factor_required: true });
    await this.repository.remove(accountId);
  }

  /**
   * After a right password: an account with two-factor log-in needs a right code too (422
   * `two_factor_required` without one, 401 with a wrong one). Staff required to have it but
   * without it get an enrolment ticket instead of a session.
   */
  async checkLogIn(accountId: string, code: string | undefined): Promise<LogInGate> {
    const credential = await this.repository.find(accountId);
    if (credential?.confirmed_at) {
      if (code === undefined || code.trim() === '') throw twoFactorRequired();
      if (!(await this.checkCode(accountId, credential.sealed_secret, code))) throw new AppError(401, 'Invalid two-factor code', { two_factor_required: true });
      return { kind: 'signed-in' };
    }
    const user = await this.accounts.findUser(accountId);
    if (user && mustUseTwoFactor(user.role, this.settings.requiredForStaff)) {
      return { kind: 'enrolment-required', enrolmentToken: this.enrolmentTicket(accountId, user.password_changed_at) };
    }
    return { kind: 'signed-in' };
  }

  /**
   * A signed ticket letting a staff member who gave the right password set up two-factor
   * log-in (and nothing else) for 15 minutes. Changing the password ends it.
   */
  private enrolmentTicket(accountId: string, passwordChangedAt: string): string {
    const expires = Math.floor((this.clock.now().getTime() + ENROLMENT_TICKET_LIFETIME_MS) / 1000);
    return `${accountId}.${expires}.${this.signTicket(accountId, expires, passwordChangedAt)}`;
  }

  /** The account an enrolment ticket is for, or 401 when it is not valid (any more). */
  async accountOfEnrolmentTicket(ticket: string): Promise<string> {
    const match = /^([0-9A-Za-z_-]{1,40})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
    const refused = unauthorized('This enrolment has expired. Please log in again.');
    if (!match) throw refused;
    const [, accountId, expiresText, signature] = match;
    const expires = Number(expiresText);
    if (expires * 1000 <= this.clock.now().getTime()) throw refused;
    const user = await this.accounts.findUser(accountId);
    if (!user || user.disabled || !safeEqual(signature, this.signTicket(accountId, expires, user.password_changed_at))) throw refused;
    return accountId;
  }

  private signTicket(accountId: string, expires: number, passwordChangedAt: string): string {
    return crypto.createHmac('sha256', this.ticketKey).update(`${accountId}:${expires}:${passwordChangedAt}`).digest('base64url');
  }

  private async takeAttempt(accountId: string): Promise<void> {
    await this.codeLimit?.takeOrRefuse(`two-factor:${accountId}`);
  }

  /** A TOTP code or, when allowed, a recovery code; either is used up when accepted. */
  private async checkCode(accountId: string, sealedSecret: string, code: string, takeAttempt = true): Promise<boolean> {
    const normalised = code.replace(/[\s-]/g, '').toLowerCase();
    if (/^\d{6}$/.test(normalised)) return this.checkTotp(accountId, sealedSecret, normalised, takeAttempt);
    if (takeAttempt) await this.takeAttempt(accountId);
    if (!/^[a-z2-7]{10}$/.test(normalised)) return false;
    return this.repository.useRecoveryCode(accountId, hashToken(normalised), this.nowIso());
  }

  private async checkTotp(accountId: string, sealedSecret: string, code: string, takeAttempt = true): Promise<boolean> {
    if (takeAttempt) await this.takeAttempt(accountId);
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return false;
    const timestamp = this.clock.now().getTime();
    const base32 = this.open(accountId, sealedSecret);
    // Unreadable after GLIMPSE_SECRET changed: only a recovery code can sign in then.
    if (base32 === undefined) return false;
    const secret = Secret.fromBase32(base32);
    const delta = TOTP.validate({ ...TOTP_SETTINGS, token, secret, timestamp, window: WINDOW });
    if (delta === null) return false;
    // The step the code belongs to: accepted only if no code of it or a later step was.
    return this.repository.useStep(accountId, TOTP.counter({ period: TOTP_SETTINGS.period, timestamp }) + delta);
  }

  /** AES-256-GCM, bound to the account (a sealed secret copied to another row does not open). */
  private seal(accountId: string, base32: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(accountId));
    const sealed = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The secret, or undefined when it does not open (sealed under another instance secret). */
  private open(accountId: string, sealed: string): string | undefined {
    try {
      const bytes = Buffer.from(sealed, 'base64url');
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.sealKey, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(accountId));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** Ten codes of 10 base32 characters (50 random bits each), shown as `abcde-fghij`. */
function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = crypto.randomBytes(10);
    const chars = Array.from(bytes, (b) => BASE32[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

function recoveryHash(code: string): string {
  return hashToken(code.replace(/[\s-]/g, '').toLowerCase());
}
