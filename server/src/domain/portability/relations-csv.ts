/**
 * Mastodon's CSV formats for follows, blocks and mutes (Settings → Import and export there), so
 * a file exported by Mastodon imports here and ours import there:
 * - following_accounts.csv: header `Account address,Show boosts,Notify on new posts,Languages`,
 *   then `user@domain,true,false,` (Glimpse has no boosts nor per-follow notifications: always
 *   `true,false,` and no languages);
 * - blocked_accounts.csv: no header, one `user@domain` a line;
 * - muted_accounts.csv: header `Account address,Hide notifications`, then `user@domain,true`.
 * Imports take each with or without its header; only the account address is required.
 */

export type RelationKind = 'following' | 'blocking' | 'muting';

export const FOLLOWING_HEADER = ['Account address', 'Show boosts', 'Notify on new posts', 'Languages'];
export const MUTED_HEADER = ['Account address', 'Hide notifications'];

/** An imported file is at most this large (bytes) … */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** … and holds at most this many accounts (Mastodon allows 20,000 for follows; fewer suffice here). */
export const MAX_IMPORT_ROWS = 10_000;

export interface ImportRow {
  address: string;
  /** Mutes: whether the mute hides notifications too (Mastodon's default: true). */
  hideNotifications?: boolean;
}

/** One CSV field, quoted when it must be (RFC 4180). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(field).join(',')}\n`;
}

/** The rows of a CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF), blank lines left out. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark
  const endRow = () => {
    row.push(value);
    if (row.length > 1 || row[0].trim() !== '') rows.push(row);
    row = [];
    value = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"' && value === '') quoted = true;
    else if (c === ',') {
      row.push(value);
      value = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') value += c;
  }
  if (value !== '' || row.length > 0) endRow();
  return rows;
}

const truthy = (value: string | undefined, fallback: boolean) => (value === undefined || value.trim() === '' ? fallback : value.trim().toLowerCase() === 'true');

/**
 * The accounts of an imported file. A first row whose first field is `Account address` is the
 * header (its columns are then found by name); without one the address is the first column,
 * and for mutes `Hide notifications` the second. Answers undefined past MAX_IMPORT_ROWS.
 */
export function parseImport(kind: RelationKind, text: string): ImportRow[] | undefined {
  const table = parseCsv(text);
  let addressAt = 0;
  let hideAt = kind === 'muting' ? 1 : -1;
  if (table.length > 0 && table[0][0].trim().toLowerCase() === 'account address') {
    const header = table.shift()!.map((h) => h.trim().toLowerCase());
    addressAt = header.indexOf('account address');
    hideAt = header.indexOf('hide notifications');
  }
  if (table.length > MAX_IMPORT_ROWS) return undefined;
  return table
    .map((cells) => ({ address: (cells[addressAt] ?? '').trim(), hide: hideAt >= 0 ? cells[hideAt] : undefined }))
    .filter((r) => r.address !== '')
    .map((r) => (kind === 'muting' ? { address: r.address.slice(0, 400), hideNotifications: truthy(r.hide, true) } : { address: r.address.slice(0, 400) }));
}

/**
 * The local username an address names, or why it names none: `user`, `@user`, or
 * `user@<our domain>` are local; another domain is remote (Glimpse does not federate).
 */
export function localUsername(address: string, domain: string): { username: string } | { skip: 'invalid' | 'remote' } {
  const match = /^@?([A-Za-z0-9_]{1,30})(?:@([A-Za-z0-9.:-]{1,253}))?$/.exec(address);
  if (!match) return { skip: 'invalid' };
  if (match[2] !== undefined && match[2].toLowerCase() !== domain.toLowerCase()) return { skip: 'remote' };
  return { username: match[1] };
}
