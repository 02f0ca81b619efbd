import webpush from 'web-push';
import type { Db } from '../../db/database.ts';

export interface VapidKeys {
  /** Uncompressed P-256 public key, base64url: the `server_key`/`vapid_key` clients subscribe with. */
  publicKey: string;
  privateKey: string;
}

/** The `instance_settings` row holding both keys together, so two processes never mix halves. */
export const VAPID_SETTING = 'vapid_keys';

/**
 * The instance's VAPID key pair (RFC 8292), generated once and kept in the database so every
 * process signs with the same key (a new key would silently break every subscription).
 * The first process to need it inserts a fresh pair if none is there (ON CONFLICT DO NOTHING)
 * and everyone reads back the stored one.
 */
export class VapidKeyStore {
  private loading: Promise<VapidKeys> | undefined;

  constructor(private readonly db: Db) {}

  keys(): Promise<VapidKeys> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<VapidKeys> {
    const stored = await this.read();
    if (stored) return stored;
    const fresh = webpush.generateVAPIDKeys();
    await this.db
      .insertInto('instance_settings')
      .values({ key: VAPID_SETTING, value: JSON.stringify({ publicKey: fresh.publicKey, privateKey: fresh.privateKey }), updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const kept = await this.read();
    if (!kept) throw new Error('the VAPID keys could not be stored');
    return kept;
  }

  private async read(): Promise<VapidKeys | undefined> {
    const row = await this.db.selectFrom('instance_settings').select('value').where('key', '=', VAPID_SETTING).executeTakeFirst();
    if (!row) return undefined;
    const parsed = JSON.parse(row.value) as Partial<VapidKeys>;
    if (typeof parsed.publicKey !== 'string' || typeof parsed.privateKey !== 'string') throw new Error(`instance setting ${VAPID_SETTING} is malformed`);
    return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
  }
}
