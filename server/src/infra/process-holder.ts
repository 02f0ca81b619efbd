import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/**
 * Who holds a lease (a job's, an upload's), as far as a restart can tell: this host and data
 * folder. A process started with the same two is the one that died, and takes its leases over
 * at start instead of waiting for them to run out. Two live processes sharing a folder on one
 * host would repeat each other's work at most once; every lease holder's commit checks the
 * lease and every job handler is idempotent, so nothing breaks.
 */
export function processHolder(dataDir: string): string {
  return crypto.createHash('sha256').update(`${os.hostname()}\0${path.resolve(dataDir)}`).digest('base64url').slice(0, 22);
}
