import { loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './db/database.ts';
import { runAdminCommand } from './admin.ts';
import { startupProblem } from './startup-check.ts';
import { backup } from './domain/admin/backup.ts';
import { restore } from './domain/admin/restore.ts';

/** Command line: `serve` (default), `migrate`, `backup DIR`, `restore DIR` and the admin tasks (`admin help`). */
export async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    // A setting that cannot be read is one line, not a stack trace.
    console.error(`Glimpse cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  if (command === 'serve') {
    // A combination that cannot work refuses to start, with one line.
    const problem = await startupProblem(config);
    if (problem) {
      console.error(`Glimpse cannot start: ${problem}`);
      process.exit(1);
    }
    const app = await buildApp(config);
    const shutdown = async (signal: string) => {
      app.http.log.info({ signal }, 'shutting down');
      await app.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    // A worker serves no HTTP: it works jobs, uploads and scheduled statuses (GLIMPSE_ROLE).
    if (config.role === 'worker') {
      app.http.log.info(`Glimpse worker is running (${app.services.database.dialect}, node ${app.idNode})`);
      return;
    }
    await app.http.listen({ port: config.port, host: config.host });
    app.http.log.info(`Glimpse is running on ${config.publicUrl} (${app.services.database.dialect}${config.role === 'web' ? ', web role' : ''})`);
    return;
  }
  if (command === 'migrate') {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    console.log(`migrated (${db.dialect}); integrity: ${await db.integrityCheck()}`);
    await db.close();
    return;
  }
  if (command === 'admin') {
    process.exitCode = await runAdminCommand(config, rest);
    return;
  }
  // `npm run admin -- jobs …` is `admin jobs …`.
  if (command === 'jobs') {
    process.exitCode = await runAdminCommand(config, [command, ...rest]);
    return;
  }
  // `npm run admin -- backup DIR` and `restore DIR` (domain/admin/backup.ts, restore.ts).
  if (command === 'backup' || command === 'restore') {
    if (rest.length !== 1) {
      console.error(`usage: ${command} DIR`);
      process.exitCode = 2;
      return;
    }
    process.exitCode = await (command === 'backup' ? backup : restore)(config, rest[0], (line) => console.log(line));
    return;
  }
  console.error(`unknown command "${command}"; use serve, migrate, admin, backup or restore`);
  process.exitCode = 2;
}
