import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { AccountRepository } from './domain/accounts/account-repository.ts';
import { TokenRepository } from './domain/auth/token-repository.ts';

const HELP = `glimpse admin <task>
  users                      list local users with role and state
  approve <username>         approve a pending registration
  role <username> <role>     set role: user, moderator or admin
  suspend <username>         disable log-in and revoke every token
  unsuspend <username>       enable log-in again
  integrity                  run the database's integrity check`;

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
      const result = await db.integrityCheck();
      console.log(result);
      return result === 'ok' ? 0 : 1;
    }
    if (task === 'users') {
      for (const u of await accounts.listUsers(1000, 0)) {
        console.log(`${u.username}\t${u.role}\t${u.approved ? 'approved' : 'pending'}\t${u.disabled ? 'suspended' : 'active'}`);
      }
      return 0;
    }
    const account = name ? await accounts.findByUsername(name) : undefined;
    if (!account) {
      console.error(`no such user: ${name ?? ''}`);
      return 1;
    }
    const now = new Date().toISOString();
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
        await accounts.updateUser(account.id, { disabled: 1 });
        await new TokenRepository(db.kysely).revokeAllForAccount(account.id, now);
        break;
      case 'unsuspend':
        await accounts.updateUser(account.id, { disabled: 0 });
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
