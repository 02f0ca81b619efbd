import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The server secret (cookie and CSRF signing). Taken from GLIMPSE_SECRET, or generated once
 * and kept in the data directory so sessions survive a restart.
 */
export function loadOrCreateSecret(configured: string | undefined, dataDir: string, persist: boolean): string {
  if (configured) return configured;
  if (!persist) return crypto.randomBytes(32).toString('hex');
  const file = path.join(dataDir, 'secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return fs.readFileSync(file, 'utf8').trim();
  }
}
