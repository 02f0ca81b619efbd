import fs from 'node:fs';
import path from 'node:path';
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './ports.ts';

/**
 * Real Glimpse server processes for the multi-process suite, started as production starts
 * them (`node --import tsx server/src/main.ts serve`, configured only through environment
 * variables). Each one's stdout and stderr go to a log file; a process that exits when nobody
 * asked it to prints the tail of its log, and every process still running when the test
 * process ends is killed with it.
 */
export const ROOT = path.resolve(import.meta.dirname, '../../..');

/** `all` is the embedded default (HTTP and background jobs in one process). */
export type Role = 'all' | 'web' | 'worker';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GlimpseProcess {
  name: string;
  role: Role;
  /** The PORT it was given (a worker is given one too, and must not listen on it). */
  port: number;
  /** http://127.0.0.1:PORT, also its GLIMPSE_PUBLIC_URL. */
  url: string;
  pid: number;
  logFile: string;
  /** Set once the process has exited. */
  readonly exit: Exit | undefined;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** SIGTERM (as a service manager stops it), then SIGKILL if it is still running after `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
  /** SIGKILL now; resolves once the process is gone. */
  kill(): Promise<Exit>;
  /** The last lines of its log. */
  tail(lines?: number): string;
}

export interface StartOptions {
  name: string;
  role: Role;
  /** GLIMPSE_* settings shared by every process of the instance. */
  env: Record<string, string>;
  /** This process's GLIMPSE_DATA_DIR. */
  dataDir: string;
  logFile: string;
  /** Only a failure guard: a process not ready by then fails the start. */
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  // The test process is ending (a failure, an interrupted run): no server outlives it.
  for (const child of running) child.kill('SIGKILL');
});

export { freePort };

function tailOf(file: string, lines: number): string {
  try {
    const all = fs.readFileSync(file, 'utf8').split('\n');
    return all.slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The environment of a child: the caller's, minus any GLIMPSE_* of its own and node:test's marker. */
function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('GLIMPSE_') || key === 'NODE_TEST_CONTEXT') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Starts one process and resolves once it is ready: a web process once it has logged that it
 * is running and answers GET /api/v1/instance; a worker once it has logged its
 * `Glimpse worker is running` line.
 */
export async function startGlimpse(options: StartOptions): Promise<GlimpseProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} starting ${options.name} (GLIMPSE_ROLE=${options.role}, PORT=${port})\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'serve'], {
    cwd: ROOT,
    env: childEnvironment({
      ...options.env,
      GLIMPSE_ROLE: options.role,
      GLIMPSE_DATA_DIR: options.dataDir,
      GLIMPSE_PUBLIC_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  let exit: Exit | undefined;
  let expected = false;
  /** While starting, an exit is reported by the start's own error (with the log's tail). */
  let starting = true;
  let readyLine = false;
  const wanted = options.role === 'worker' ? 'Glimpse worker is running' : 'Glimpse is running';
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const w of [...wakers]) w();
  };

  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (readyLine || !line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as { msg?: unknown };
        if (typeof entry.msg === 'string' && entry.msg.startsWith(wanted)) {
          readyLine = true;
          wake();
        }
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));

  const exited = new Promise<Exit>((resolve) => {
    // 'close': the process has exited and its output has been read to the end.
    child.once('close', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      log.end(`--- ${new Date().toISOString()} ${options.name} exited (${code ?? signal})\n`, () => {
        if (!expected && !starting) {
          process.stderr.write(`\n[${options.name}] exited unexpectedly (${code ?? signal}); the end of ${options.logFile}:\n${tailOf(options.logFile, 40)}\n`);
        }
        wake();
        resolve(exit!);
      });
    });
  });

  const proc: GlimpseProcess = {
    name: options.name,
    role: options.role,
    port,
    url,
    pid: child.pid!,
    logFile: options.logFile,
    get exit() {
      return exit;
    },
    exited,
    async stop(graceMs = 15_000) {
      expected = true;
      if (exit) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      expected = true;
      if (exit) return exited;
      child.kill('SIGKILL');
      return exited;
    },
    tail: (lines = 40) => tailOf(options.logFile, lines),
  };

  const guard = Date.now() + (options.readyTimeoutMs ?? 90_000);
  const failStart = async (why: string): Promise<never> => {
    await proc.kill();
    throw new Error(`${options.name} (GLIMPSE_ROLE=${options.role}) ${why}; the end of ${options.logFile}:\n${proc.tail(40)}`);
  };
  // The ready line first (woken by the log or the exit; the timer only turns a hang into a failure).
  while (!readyLine) {
    if (exit) {
      expected = true;
      await exited; // its log written to the end
      throw new Error(`${options.name} (GLIMPSE_ROLE=${options.role}) exited during start-up (${exit.code ?? exit.signal}); the end of ${options.logFile}:\n${proc.tail(40)}`);
    }
    if (Date.now() > guard) return failStart(`logged no "${wanted}" line in time`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 1000);
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }
  if (options.role !== 'worker') {
    for (;;) {
      if (exit) return failStart(`exited during start-up (${exit.code ?? exit.signal})`);
      try {
        const res = await fetch(`${url}/api/v1/instance`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (res.ok) break;
      } catch {
        // not answering yet
      }
      if (Date.now() > guard) return failStart('did not answer GET /api/v1/instance in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  starting = false;
  if (exit) {
    await exited;
    throw new Error(`${options.name} (GLIMPSE_ROLE=${options.role}) exited right after start-up (${exit.code ?? exit.signal}); the end of ${options.logFile}:\n${proc.tail(40)}`);
  }
  return proc;
}
