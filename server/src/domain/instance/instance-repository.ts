import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { byUnsuspendedAccountSql } from '../../access/account-policy.ts';

/** The texts an admin sets from the command line (`admin instance set <key> <text>`). */
export const INSTANCE_TEXTS = ['rules', 'extended_description', 'privacy_policy', 'terms_of_service'] as const;
export type InstanceTextKey = (typeof INSTANCE_TEXTS)[number];

export const INSTANCE_TEXT_LIMITS = {
  /** Characters of one text. */
  text: 100_000,
  /** Rules: one per line, at most this many, each at most `rule` characters. */
  rules: 100,
  rule: 1000,
} as const;

export interface InstanceText {
  value: string;
  updated_at: string | null;
}

/** One week of activity; counts as Mastodon sends them (strings). */
export interface ActivityWeek {
  week: string;
  statuses: string;
  logins: string;
  registrations: string;
}

export const ACTIVITY_WEEKS = 12;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The rules text as the list Mastodon sends: each non-empty line a rule, numbered from 1. */
export function rulesOf(text: string | undefined): Array<{ id: string; text: string; hint: string }> {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(0, INSTANCE_TEXT_LIMITS.rules)
    .map((line, i) => ({ id: String(i + 1), text: line, hint: '' }));
}

/** Why a text cannot be stored, or undefined when it can. */
export function instanceTextProblem(key: InstanceTextKey, value: string): string | undefined {
  if (value.length > INSTANCE_TEXT_LIMITS.text) return `${key} is too long (maximum is ${INSTANCE_TEXT_LIMITS.text} characters)`;
  if (value.includes('\u0000')) return `${key} must not contain NUL characters`;
  if (key === 'rules') {
    const lines = value.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length > INSTANCE_TEXT_LIMITS.rules) return `rules has too many lines (maximum is ${INSTANCE_TEXT_LIMITS.rules})`;
    if (lines.some((l) => l.length > INSTANCE_TEXT_LIMITS.rule)) return `a rule is too long (maximum is ${INSTANCE_TEXT_LIMITS.rule} characters)`;
  }
  return undefined;
}

/** Midnight (UTC) of the Monday starting the week `at` falls in. */
export function weekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 24 * 60 * 60 * 1000);
}

/** The smallest id issued at or after `ms` (ids are milliseconds × 1000 + a sequence: db/ids.ts). */
const idAt = (ms: number) => String(ms * 1000).padStart(16, '0');

/** Instance settings (`instance_settings`) and the instance's weekly activity. */
export class InstanceRepository {
  constructor(private readonly db: Db) {}

  async texts(keys: readonly InstanceTextKey[]): Promise<Map<InstanceTextKey, InstanceText>> {
    const rows = await this.db.selectFrom('instance_settings').select(['key', 'value', 'updated_at']).where('key', 'in', [...keys]).execute();
    return new Map(rows.map((r) => [r.key as InstanceTextKey, { value: r.value, updated_at: r.updated_at }]));
  }

  async text(key: InstanceTextKey): Promise<InstanceText | undefined> {
    return (await this.texts([key])).get(key);
  }

  /** An empty value removes the text. */
  async setText(key: InstanceTextKey, value: string, now: string): Promise<void> {
    if (value.trim() === '') {
      await this.db.deleteFrom('instance_settings').where('key', '=', key).execute();
      return;
    }
    await this.db
      .insertInto('instance_settings')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  /** The stored values of these keys (instance-settings.ts); a key without a row is left out. */
  async values(keys: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('instance_settings').select(['key', 'value']).where('key', 'in', [...keys]).execute();
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  /** Sets (a string) or removes (null) each key, all in one transaction. */
  async setValues(changes: ReadonlyArray<readonly [string, string | null]>, now: string): Promise<void> {
    if (changes.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const [key, value] of changes) {
        if (value === null) await trx.deleteFrom('instance_settings').where('key', '=', key).execute();
        else {
          await trx
            .insertInto('instance_settings')
            .values({ key, value, updated_at: now })
            .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
            .execute();
        }
      }
    });
  }

  /**
   * The last twelve weeks (Monday to Monday, UTC), this week first: statuses written (not by
   * suspended accounts), accounts that logged in (were issued a token: log-ins, OAuth grants
   * and refreshes, each account once a week) and registrations. One grouped query each, over
   * the time-ordered primary keys.
   */
  async activity(now: Date): Promise<ActivityWeek[]> {
    const starts = Array.from({ length: ACTIVITY_WEEKS }, (_, i) => weekStart(now).getTime() - i * WEEK_MS);
    const bucket = (column: string) => sql`CASE ${sql.join(starts.map((ms, i) => sql`WHEN ${sql.ref(column)} >= ${idAt(ms)} THEN ${i}`), sql` `)} END`;
    const oldest = idAt(starts[starts.length - 1]);
    const perWeek = async (query: RawBuilder<unknown>) => {
      const { rows } = (await query.execute(this.db)) as { rows: Array<{ bucket: number | string; n: number | string }> };
      return new Map(rows.map((r) => [Number(r.bucket), Number(r.n)]));
    };
    const [statuses, logins, registrations] = await Promise.all([
      perWeek(sql`SELECT bucket, count(*) AS n FROM (SELECT ${bucket('id')} AS bucket FROM statuses WHERE id >= ${oldest} AND ${byUnsuspendedAccountSql('account_id')}) t GROUP BY bucket`),
      perWeek(sql`SELECT bucket, count(DISTINCT account_id) AS n FROM (SELECT ${bucket('id')} AS bucket, account_id FROM access_tokens WHERE id >= ${oldest} AND account_id IS NOT NULL) t GROUP BY bucket`),
      perWeek(sql`SELECT bucket, count(*) AS n FROM (SELECT ${bucket('account_id')} AS bucket FROM users WHERE account_id >= ${oldest}) t GROUP BY bucket`),
    ]);
    return starts.map((ms, i) => ({
      week: String(Math.floor(ms / 1000)),
      statuses: String(statuses.get(i) ?? 0),
      logins: String(logins.get(i) ?? 0),
      registrations: String(registrations.get(i) ?? 0),
    }));
  }
}
