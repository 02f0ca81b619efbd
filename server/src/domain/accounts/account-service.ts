import type { Clock } from '../../clock.ts';
import type { Config, RegistrationMode } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Viewer } from '../../access/viewer-context.ts';
import { canSeeAccount, isShownInDirectory } from '../../access/account-policy.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import { hashPassword } from '../auth/secrets.ts';
import type { AccountRepository } from './account-repository.ts';
import { type AccountRow, LIMITS, type ProfileField, USERNAME_PATTERN } from './account.ts';

export interface RegistrationInput {
  username: string;
  email: string;
  password: string;
  agreement: boolean;
  reason?: string;
  /** The address the sign-up came from (request.ip); checked against the IP blocks. */
  ip?: string;
}

/**
 * The admin blocks a sign-up is checked against (domain/admin): wired by services.ts, absent
 * in a bare AccountService. `emailBlocked` counts a refusal in the block's history.
 */
export interface SignUpChecks {
  ipSeverity(ip: string): Promise<'sign_up_requires_approval' | 'sign_up_block' | 'no_access' | undefined>;
  emailBlocked(email: string): Promise<boolean>;
  recordIp(accountId: string, ip: string): Promise<void>;
}

/** Usernames nobody may register: they would pass for the staff or the server itself. */
const RESERVED_USERNAMES = new Set(['admin', 'administrator', 'root', 'support', 'help', 'moderator', 'mod', 'staff', 'webmaster', 'postmaster', 'hostmaster', 'abuse', 'security', 'glimpse']);

export interface CredentialChanges {
  displayName?: string;
  note?: string;
  locked?: boolean;
  discoverable?: boolean;
  /** Replaces every profile field; pairs with both name and value blank are dropped. */
  fields?: ProfileField[];
}

/** Registration, profiles and account look-ups. */
export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountRepository,
    private readonly relationships: RelationshipRepository,
    private readonly config: Pick<Config, 'registrations' | 'domain' | 'smtpUrl'>,
    private readonly clock: Clock,
  ) {}

  private signUpChecks: SignUpChecks | undefined;

  useSignUpChecks(checks: SignUpChecks): void {
    this.signUpChecks = checks;
  }

  /** The registrations mode in force: GLIMPSE_REGISTRATIONS unless an admin set one (domain/instance/instance-settings.ts). */
  private registrationsMode: () => Promise<RegistrationMode> = async () => this.config.registrations;

  useRegistrationsMode(read: () => Promise<RegistrationMode>): void {
    this.registrationsMode = read;
  }

  /** With mail: queues the confirmation link in the sign-up's transaction (accounts/email-confirmation.ts). */
  onSignedUp: ((trx: Db, accountId: string, email: string) => Promise<void>) | undefined;

  /**
   * Creates the account and its user. The first account becomes the instance's admin. Refusals
   * carry Mastodon's `details` (field → [{error: ERR_…, description}]). A sign-up from an
   * address under a sign_up_block or no_access IP block is refused (403); under
   * sign_up_requires_approval the account waits for approval.
   */
  async register(input: RegistrationInput): Promise<AccountRow> {
    const registrations = await this.registrationsMode();
    if (registrations === 'closed') throw new AppError(403, 'Registrations are closed on this server');
    const severity = input.ip && this.signUpChecks ? await this.signUpChecks.ipSeverity(input.ip) : undefined;
    if (severity === 'sign_up_block' || severity === 'no_access') throw new AppError(403, 'Sign-ups from your network are not allowed on this server');
    const errors: Record<string, Array<{ error: string; description: string }>> = {};
    const fail = (field: string, error: string, description: string) => (errors[field] ??= []).push({ error, description });
    const tooLong = (max: number) => `is too long (maximum is ${max} characters)`;
    if (input.username === '') fail('username', 'ERR_BLANK', "can't be blank");
    else if (input.username.length > LIMITS.username) fail('username', 'ERR_TOO_LONG', tooLong(LIMITS.username));
    else if (!USERNAME_PATTERN.test(input.username)) fail('username', 'ERR_INVALID', 'must contain only letters, numbers and underscores');
    else if (RESERVED_USERNAMES.has(input.username.toLowerCase())) fail('username', 'ERR_RESERVED', 'is reserved');
    if (input.email.trim() === '') fail('email', 'ERR_BLANK', "can't be blank");
    else if (input.email.length > LIMITS.email) fail('email', 'ERR_TOO_LONG', tooLong(LIMITS.email));
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) fail('email', 'ERR_INVALID', 'is invalid');
    if (input.password === '') fail('password', 'ERR_BLANK', "can't be blank");
    else if (input.password.length < LIMITS.passwordMin) fail('password', 'ERR_TOO_SHORT', `is too short (minimum is ${LIMITS.passwordMin} characters)`);
    else if (input.password.length > LIMITS.passwordMax) fail('password', 'ERR_TOO_LONG', tooLong(LIMITS.passwordMax));
    if (!input.agreement) fail('agreement', 'ERR_ACCEPTED', 'must be accepted');
    if ((input.reason ?? '').length > LIMITS.reason) fail('reason', 'ERR_TOO_LONG', tooLong(LIMITS.reason));
    else if (registrations === 'approval' && !input.reason?.trim()) fail('reason', 'ERR_BLANK', "can't be blank");
    if (!errors.email && this.signUpChecks && (await this.signUpChecks.emailBlocked(input.email))) fail('email', 'ERR_BLOCKED', 'uses a disallowed e-mail provider');
    if (Object.keys(errors).length === 0) {
      if (await this.accounts.findByUsername(input.username)) fail('username', 'ERR_TAKEN', 'is already taken');
      const byEmail = await this.db.selectFrom('users').select('account_id').where('email_lower', '=', input.email.toLowerCase()).executeTakeFirst();
      if (byEmail) fail('email', 'ERR_TAKEN', 'is already taken');
    }
    if (Object.keys(errors).length > 0) {
      const summary = Object.entries(errors).map(([field, [e]]) => `${capitalize(field)} ${e.description}`).join(', ');
      throw new AppError(422, `Validation failed: ${summary}`, { details: errors });
    }
    const now = this.clock.now();
    const id = newId(now.getTime());
    const passwordHash = await hashPassword(input.password);
    const iso = now.toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        const isFirst = (await this.accounts.countUsers(trx)) === 0;
        await this.accounts.insert(
          {
            id,
            username: input.username,
            username_lower: input.username.toLowerCase(),
            display_name: '',
            note: '',
            locked: 0,
            discoverable: 1,
            avatar_media_id: null,
            header_media_id: null,
            followers_count: 0,
            following_count: 0,
            statuses_count: 0,
            created_at: iso,
            updated_at: iso,
          },
          {
            account_id: id,
            email: input.email,
            email_lower: input.email.toLowerCase(),
            password_hash: passwordHash,
            role: isFirst ? 'admin' : 'user',
            approved: isFirst || (registrations === 'open' && severity !== 'sign_up_requires_approval') ? 1 : 0,
            disabled: 0,
            registration_reason: input.reason ?? '',
            created_at: iso,
            password_changed_at: iso,
            // With mail the address waits for its link; without, it counts as confirmed.
            email_confirmed_at: this.config.smtpUrl ? null : iso,
          },
          trx,
        );
        if (this.config.smtpUrl) await this.onSignedUp?.(trx, id, input.email);
      });
    } catch (error) {
      // Two sign-ups racing for one name: the unique index decides, the loser gets a 422.
      if (/unique|duplicate/i.test(String((error as Error).message))) {
        throw new AppError(422, 'Validation failed: Username is already taken', {
          details: { username: [{ error: 'ERR_TAKEN', description: 'is already taken' }] },
        });
      }
      throw error;
    }
    if (input.ip && this.signUpChecks) await this.signUpChecks.recordIp(id, input.ip);
    const account = await this.accounts.findById(id);
    if (!account) throw new Error('account vanished after insert');
    return account;
  }

  async self(viewer: Viewer): Promise<AccountRow> {
    const account = await this.accounts.findById(viewer.accountId);
    if (!account) throw notFound();
    return account;
  }

  async updateCredentials(viewer: Viewer, changes: CredentialChanges): Promise<AccountRow> {
    const set: Record<string, unknown> = { updated_at: this.clock.now().toISOString() };
    if (changes.displayName !== undefined) set.display_name = changes.displayName;
    if (changes.note !== undefined) set.note = changes.note;
    if (changes.locked !== undefined) set.locked = changes.locked ? 1 : 0;
    if (changes.discoverable !== undefined) set.discoverable = changes.discoverable ? 1 : 0;
    if (changes.fields !== undefined) set.fields = JSON.stringify(changes.fields.filter((f) => f.name.trim() !== '' || f.value.trim() !== '').slice(0, LIMITS.profileFields));
    await this.accounts.update(viewer.accountId, set);
    return this.self(viewer);
  }

  /** One account, or 404 if it is missing or hidden from the viewer. */
  async get(viewer: Viewer | undefined, id: string): Promise<AccountRow> {
    const account = await this.accounts.findById(id);
    return this.visibleOr404(viewer, account);
  }

  async lookup(viewer: Viewer | undefined, acct: string): Promise<AccountRow> {
    const [username, domain] = acct.replace(/^@/, '').split('@');
    if (domain !== undefined && domain !== '' && domain.toLowerCase() !== this.config.domain.toLowerCase()) throw notFound();
    const account = username ? await this.accounts.findByUsername(username) : undefined;
    return this.visibleOr404(viewer, account);
  }

  async search(viewer: Viewer | undefined, query: string, limit: number, offset: number): Promise<AccountRow[]> {
    const rows = await this.accounts.search(query, limit, offset);
    const ctx = await this.relationships.loadViewerContext(viewer, rows.map((r) => r.id));
    return rows.filter((r) => canSeeAccount(ctx, r));
  }

  /** The profile directory page, without accounts the viewer blocks, is blocked by or mutes. */
  async directory(viewer: Viewer | undefined, order: 'active' | 'new', limit: number, offset: number): Promise<AccountRow[]> {
    const rows = await this.accounts.directory(order, limit, offset);
    const ctx = await this.relationships.loadViewerContext(viewer, rows.map((r) => r.id));
    return rows.filter((r) => isShownInDirectory(ctx, r));
  }

  private async visibleOr404(viewer: Viewer | undefined, account: AccountRow | undefined): Promise<AccountRow> {
    if (!account) throw notFound();
    const ctx = await this.relationships.loadViewerContext(viewer, [account.id]);
    if (!canSeeAccount(ctx, account)) throw notFound();
    return account;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
