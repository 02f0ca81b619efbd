import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { checkCounters, describeMismatch, repairCounters } from './domain/integrity/integrity-check.ts';
import { AccountRepository } from './domain/accounts/account-repository.ts';
import { suspendAccount, unsuspendAccount } from './domain/moderation/suspend-account.ts';
import { systemClock } from './clock.ts';
import type { SessionEvents } from './domain/auth/token-repository.ts';
import { sessionChannel } from './infra/pubsub/pub-sub.ts';
import { publishOnce } from './infra/pubsub/redis-pub-sub.ts';
import { INSTANCE_TEXTS, InstanceRepository, type InstanceTextKey, instanceTextProblem } from './domain/instance/instance-repository.ts';
import { runEmojiCommand } from './domain/emojis/emoji-command.ts';
import { runMediaCommand } from './domain/media/media-command.ts';
import { JOBS_HELP, runJobsCommand } from './infra/queue/jobs-command.ts';
import { TwoFactorRepository } from './domain/auth/two-factor-repository.ts';

const HELP = `glimpse admin <task>
  users                      list local users with role and state
  approve <username>         approve a pending registration
  role <username> <role>     set role: user, moderator or admin
  suspend <username>         revoke every token, stop log-in, and hide the account and
                             everything it wrote from everyone but admins (nothing is deleted)
  unsuspend <username>       bring the account and its content back; log-in works again
  two-factor-reset <username>
                             turn off two-factor log-in for someone who lost both the app
                             and the recovery codes (check who is asking first); the
                             password is enough again until they set it up anew
  integrity [--repair]       run the database's integrity check and check every stored
                             counter against the rows it counts; --repair sets them right
  instance set <key> <text>  set an instance text (plain text; "" removes it); keys: rules
                             (one rule per line), extended_description, privacy_policy,
                             terms_of_service
  instance show <key>        print an instance text
  emoji add <shortcode> <image-file> [--category NAME]
                             add a custom emoji (2-32 letters, digits or _); the image is
                             checked like any upload and stored at most 128x128
  emoji remove <shortcode>   remove a custom emoji and its image
  emoji list                 list the custom emojis
  media                      media storage use per kind and type, and the files without
                             rows and rows without files (exit 1 when there are any)
${JOBS_HELP}`;

/** Session events from this short-lived process, published through Redis (awaited before it exits). */
const announcements: Array<Promise<void>> = [];
function cliSessionEvents(config: Config): SessionEvents {
  const send = (accountId: string, tokenIds: string[] | 'all') =>
    announcements.push(publishOnce(config.redisUrl, config.redisPrefix, sessionChannel(accountId), { kind: 'revoked', tokenIds }).catch((err: Error) => console.error(`the running processes were not told: ${err.message}`)));
  return { revoked: (accountId, ids) => send(accountId, ids), allRevoked: (accountId) => send(accountId, 'all') };
}

/** The admin command line (`npm run admin -- admin users`). Answers an exit code. */
export async function runAdminCommand(config: Config, args: string[]): Promise<number> {
  const [task, name, value] = args;
  if (!task || task === 'help') {
    console.log(HELP);
    return task ? 0 : 2;
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const accounts = new AccountRepository(db.kysely);
    if (task === 'integrity') {
      if (name !== undefined && name !== '--repair') {
        console.error(HELP);
        return 2;
      }
      return await integrity(db, name === '--repair');
    }
    if (task === 'instance') return await instanceText(db, args.slice(1));
    if (task === 'emoji') return await runEmojiCommand(db, config, args.slice(1), HELP);
    if (task === 'media') return await runMediaCommand(db, config, args.slice(1), HELP);
    if (task === 'jobs') return await runJobsCommand(db, config, args.slice(1), HELP);
    if (task === 'users') {
      for (const u of await accounts.listUsers(1000, 0)) {
        console.log(`${u.username}\t${u.role}\t${u.approved ? 'approved' : 'pending'}\t${u.suspended_at ? 'suspended' : 'active'}`);
      }
      return 0;
    }
    const account = name ? await accounts.findByUsername(name) : undefined;
    if (!account) {
      console.error(`no such user: ${name ?? ''}`);
      return 1;
    }
    switch (task) {
      case 'approve':
        await accounts.updateUser(account.id, { approved: 1 });
        break;
      case 'role':
        if (value !== 'user' && value !== 'moderator' && value !== 'admin') {
          console.error('role must be user, moderator or admin');
          return 2;
        }
        await accounts.updateUser(account.id, { role: value });
        break;
      case 'suspend':
        // With Redis, the running processes close the account's open streams at once. Without
        // it they cannot hear this process: its streams end when they next reconnect.
        await suspendAccount(db.kysely, systemClock, account.id, config.redisUrl ? cliSessionEvents(config) : undefined);
        await Promise.all(announcements);
        break;
      case 'unsuspend':
        await unsuspendAccount(db.kysely, account.id);
        break;
      case 'two-factor-reset':
        await new TwoFactorRepository(db.kysely).remove(account.id);
        break;
      default:
        console.error(HELP);
        return 2;
    }
    console.log(`${task}: ${account.username} done`);
    return 0;
  } finally {
    await db.close();
  }
}

/** `instance set <key> <text>` and `instance show <key>`. */
async function instanceText(db: DatabaseHandle, [action, key, ...rest]: string[]): Promise<number> {
  if (!(INSTANCE_TEXTS as readonly string[]).includes(key ?? '') || (action !== 'set' && action !== 'show') || (action === 'set' && rest.length !== 1)) {
    console.error(HELP);
    return 2;
  }
  const instance = new InstanceRepository(db.kysely);
  const name = key as InstanceTextKey;
  if (action === 'show') {
    console.log((await instance.text(name))?.value ?? '');
    return 0;
  }
  const problem = instanceTextProblem(name, rest[0]);
  if (problem) {
    console.error(problem);
    return 1;
  }
  await instance.setText(name, rest[0], systemClock.now().toISOString());
  console.log(`instance ${name}: ${rest[0].trim() === '' ? 'removed' : 'set'}`);
  return 0;
}

/**
 * The database's own check, then every stored counter against its rows, one line per
 * mismatch. Exit code 1 when anything is wrong (after --repair: when anything is still wrong).
 */
async function integrity(db: DatabaseHandle, repair: boolean): Promise<number> {
  const pages = await db.integrityCheck();
  console.log(`database: ${pages}`);
  const found = repair ? await repairCounters(db.kysely) : await checkCounters(db.kysely);
  for (const m of found) console.log(`${repair ? 'repaired' : 'mismatch'}: ${describeMismatch(m, repair)}`);
  const left = repair ? await checkCounters(db.kysely) : found;
  console.log(`counters: ${left.length === 0 ? 'ok' : `${left.length} mismatched`}${repair ? ` (${found.length} repaired)` : ''}`);
  return pages === 'ok' && left.length === 0 ? 0 : 1;
}
