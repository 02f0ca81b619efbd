import { loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './db/database.ts';
import { runAdminCommand } from './admin.ts';

/** Command line: `serve` (default), `migrate`, and the admin tasks (`admin help`). */
export async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  const config = loadConfig();
  if (command === 'serve') {
    const app = await buildApp(config);
    const shutdown = async (signal: string) => {
      app.http.log.info({ signal }, 'shutting down');
      await app.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    await app.http.listen({ port: config.port, host: config.host });
    app.http.log.info(`Glimpse is running on ${config.publicUrl} (${app.services.database.dialect})`);
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
  console.error(`unknown command "${command}"; use serve, migrate or admin`);
  process.exitCode = 2;
}
