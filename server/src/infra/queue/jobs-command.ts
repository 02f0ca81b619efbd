import { systemClock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { bullJobsAdmin } from './bullmq-job-queue.ts';
import { databaseJobsAdmin, type JobsAdmin } from './durable-job-queue.ts';
import { JobStore } from './job-store.ts';

export const JOBS_HELP = `  jobs                       count jobs per queue (job name) and state
  jobs failed                list failed jobs with their errors
  jobs retry <id|all>        queue failed jobs again (attempts start over)
  jobs discard <id|all>      delete failed jobs`;

/**
 * `npm run admin -- jobs …`: the jobs table (the embedded queue, or the outbox not relayed yet)
 * and, with GLIMPSE_REDIS_URL, BullMQ's queues. Answers an exit code.
 */
export async function runJobsCommand(db: DatabaseHandle, config: Config, args: string[], help: string): Promise<number> {
  const [action, target] = args;
  const store = new JobStore(db.kysely, db.dialect, systemClock);
  const admin: JobsAdmin & { close?(): Promise<void> } = config.redisUrl ? await bullJobsAdmin(store, config.redisUrl, config.redisPrefix) : databaseJobsAdmin(store);
  try {
    if (action === undefined || action === 'counts') {
      const counts = await admin.counts();
      if (counts.length === 0) console.log('no jobs');
      for (const c of counts) console.log(`${c.queue}\t${c.state}\t${c.count}`);
      return 0;
    }
    if (action === 'failed') {
      const failed = await admin.failed(1000);
      if (failed.length === 0) console.log('no failed jobs');
      for (const f of failed) {
        console.log(`${f.id}\t${f.name}\tattempts ${f.attempts}\tfailed at ${f.failedAt}\tpayload ${f.payload}`);
        console.log(`  ${f.error.split('\n').join('\n  ')}`);
      }
      return 0;
    }
    if ((action === 'retry' || action === 'discard') && target) {
      const n = action === 'retry' ? await admin.retry(target) : await admin.discard(target);
      if (n === 0 && target !== 'all') {
        console.error(`no failed job ${target}`);
        return 1;
      }
      console.log(`${n} failed job${n === 1 ? '' : 's'} ${action === 'retry' ? 'queued again' : 'discarded'}`);
      return 0;
    }
    console.error(help);
    return 2;
  } finally {
    await admin.close?.();
  }
}
