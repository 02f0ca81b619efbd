import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/**
 * The real Glimpse server for browser tests: a child process started the way `npm start`
 * starts it (`node --import tsx server/src/main.ts serve` from the repository root), on a
 * free port, with a fresh data directory (so a fresh SQLite database) that is deleted when
 * the server stops.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Where the client under test is built: web/dist, or GLIMPSE_E2E_WEB_DIST, so several people
 * working in one checkout can each test their own build without emptying each other's.
 */
export const WEB_DIST = process.env.GLIMPSE_E2E_WEB_DIST ? path.resolve(process.env.GLIMPSE_E2E_WEB_DIST) : path.join(ROOT, 'web/dist');
const WEB_INDEX = path.join(WEB_DIST, 'index.html');
const BUILD_LOCK = `${WEB_DIST}.build-lock`;

/** How long start-up may take before the test gives up (a hang guard, not an assertion). */
const STARTUP_LIMIT_MS = 60_000;

export interface GlimpseServer {
  /** http://127.0.0.1:<port>, also the server's GLIMPSE_PUBLIC_URL. */
  url: string;
  port: number;
  dataDir: string;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function runCommand(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/**
 * Builds the web client (`npm run build -w web`) when web/dist/index.html is missing, or
 * always when GLIMPSE_E2E_REBUILD=1. A lock directory keeps two test processes from building
 * at once; the server only serves the client if the build exists when it starts.
 */
export async function ensureWebBuilt(): Promise<void> {
  const force = process.env.GLIMPSE_E2E_REBUILD === '1';
  if (!force && fs.existsSync(WEB_INDEX)) return;
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Someone else is building; a lock older than ten minutes is left over from a crash.
      const age = Date.now() - fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })!.mtimeMs;
      if (age > 10 * 60_000) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    if (!force && fs.existsSync(WEB_INDEX)) return; // built while we waited
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { code, output } = await runCommand(npm, ['run', 'build', '-w', 'web', '--', '--outDir', WEB_DIST, '--emptyOutDir']);
    if (code !== 0 || !fs.existsSync(WEB_INDEX)) {
      throw new Error(`npm run build -w web failed (exit ${code}); the browser tests need web/dist:\n${output.slice(-4000)}`);
    }
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v1/instance`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** The inherited environment without GLIMPSE_* settings, so the host's own cannot leak in. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GLIMPSE_')) env[key] = value;
  return env;
}

async function launchOnce(env: Record<string, string>): Promise<GlimpseServer | 'port-taken'> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      ...cleanEnvironment(),
      PORT: String(port),
      HOST: '127.0.0.1',
      GLIMPSE_DATA_DIR: dataDir,
      GLIMPSE_PUBLIC_URL: url,
      GLIMPSE_WEB_DIST: WEB_DIST,
      GLIMPSE_RATE_LIMITS: 'off',
      GLIMPSE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 0))));
  let exitCode: number | undefined;
  void exited.then((code) => (exitCode = code));
  // If this test process ends without stopping the server (a crash, a cancelled run), the
  // server must not outlive it.
  const orphanGuard = () => {
    if (exitCode === undefined) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));

  const stop = async () => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_LIMIT_MS;
  for (;;) {
    if (exitCode !== undefined) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (/EADDRINUSE/.test(output)) return 'port-taken';
      throw new Error(`the Glimpse server exited with ${exitCode} before answering:\n${output.slice(-4000)}`);
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Glimpse server did not answer GET /api/v1/instance within ${STARTUP_LIMIT_MS / 1000}s:\n${output.slice(-4000)}`);
    }
    await sleep(100);
  }
  return { url, port, dataDir, output: () => output, stop };
}

/** Builds the web client if needed, starts the server and waits until it answers. */
export async function startServer(options: { env?: Record<string, string>; buildWeb?: boolean } = {}): Promise<GlimpseServer> {
  if (options.buildWeb !== false) await ensureWebBuilt();
  for (let attempt = 1; ; attempt++) {
    const started = await launchOnce(options.env ?? {});
    if (started !== 'port-taken') return started;
    if (attempt >= 5) throw new Error('could not find a free port for the Glimpse server');
  }
}
