/**
 * Upload requests being received at once, per account and in total. Past either bound a new
 * one is refused with 429 before its body is read. Receiving costs no memory to speak of (the
 * body streams to disk), so the bounds are about disk space (32 × 16 MiB at most), file handles
 * and one account crowding out the others; a browser sends at most 6 requests to one host at a
 * time, so the web client's parallel uploads stay within the per-account bound.
 */
export const UPLOAD_BOUNDS = { perAccount: 8, total: 32 } as const;
/** What a refused client is told to wait (Retry-After). */
export const UPLOAD_RETRY_AFTER_MS = 5_000;

export class UploadSlots {
  private readonly perAccount = new Map<string, number>();
  private total = 0;

  constructor(private readonly bounds: { perAccount: number; total: number } = UPLOAD_BOUNDS) {}

  /** A slot for one more upload of the account, or undefined at a bound. Calling the returned function frees it (once). */
  take(accountId: string): (() => void) | undefined {
    const mine = this.perAccount.get(accountId) ?? 0;
    if (mine >= this.bounds.perAccount || this.total >= this.bounds.total) return undefined;
    this.perAccount.set(accountId, mine + 1);
    this.total += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.total -= 1;
      const left = (this.perAccount.get(accountId) ?? 1) - 1;
      if (left > 0) this.perAccount.set(accountId, left);
      else this.perAccount.delete(accountId);
    };
  }

  /** Uploads being received now: of one account, or of everyone. */
  inFlight(accountId?: string): number {
    return accountId === undefined ? this.total : (this.perAccount.get(accountId) ?? 0);
  }
}
