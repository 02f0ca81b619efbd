import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DbTarget } from './db.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PRELOAD = path.join(ROOT, 'bench/src/preload/event-loop.mjs');

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

export interface EventLoopSnapshot {
  seq: number;
  count: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Graceful stop (SIGTERM, as a service manager would); SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL now, and wait until the process is gone. */
  kill(): Promise<void>;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): number | undefined;
  /** Resident set size now (VmRSS), in MiB. */
  rssMiB(): number | undefined;
  /** CPU time used so far (user + system, /proc/<pid>/stat), in seconds; undefined off Linux or once exited. */
  cpuSeconds(): number | undefined;
  /** Resets the peak (VmHWM) to the current RSS (Linux: clear_refs 5); false where that is not possible. */
  resetPeakRss(): boolean;
  /** Event-loop delay since the previous call (the histogram is reset each time). */
  eventLoop(): Promise<EventLoopSnapshot | undefined>;
}

export interface StartOptions {
  target: DbTarget;
  fanoutThreshold?: number;
  env?: Record<string, string>;
  /** Extra node flags for the server, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
  logFile: string;
  readyTimeoutMs?: number;
  /**
   * A process that serves no HTTP (GLIMPSE_ROLE=worker) is ready when its log has a JSON line
   * whose msg starts with this (written after start); otherwise when GET /api/v1/instance answers.
   */
  readyLogLine?: string;
}

/** Whether GET /api/v1/instance answers 2xx. */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v1/instance`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false; // not listening yet
  }
}

/** Whether the log, from byte `from` on, has a pino JSON line whose msg starts with `prefix`. */
function logHasLine(file: string, from: number, prefix: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file).subarray(from).toString('utf8');
  } catch {
    return false;
  }
  return text.split('\n').some((line) => {
    if (!line.startsWith('{')) return false;
    try {
      const msg = (JSON.parse(line) as { msg?: unknown }).msg;
      return typeof msg === 'string' && msg.startsWith(prefix);
    } catch {
      return false;
    }
  });
}

/**
 * Starts the real server the way `npm start` does (`node --import tsx server/src/main.ts serve`,
 * configured only through its environment), plus the event-loop preload, and waits until it
 * answers. (npm start also builds the web client first; the API does not need it.)
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const eldFile = `${options.logFile}.eventloop.json`;
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  fs.rmSync(eldFile, { force: true });
  const log = fs.openSync(options.logFile, 'a');
  const logStart = fs.fstatSync(log).size;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    GLIMPSE_PUBLIC_URL: url,
    GLIMPSE_DATA_DIR: options.target.dataDir,
    GLIMPSE_DATABASE_URL: options.target.databaseUrl,
    GLIMPSE_RATE_LIMITS: 'off',
    GLIMPSE_LOG_LEVEL: 'warn',
    GLIMPSE_BENCH_ELD_FILE: eldFile,
    ...(options.fanoutThreshold !== undefined ? { GLIMPSE_FANOUT_THRESHOLD: String(options.fanoutThreshold) } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', PRELOAD, ...(options.nodeFlags ?? []), 'server/src/main.ts', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exited = { code, signal }), resolve())));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited) throw new Error(`the server exited during start-up (${exited.code ?? exited.signal}); see ${options.logFile}`);
    if (options.readyLogLine !== undefined ? logHasLine(options.logFile, logStart, options.readyLogLine) : await answers(url)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within the start-up timeout; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  let lastSeq = 0;
  return {
    url,
    port,
    pid: child.pid!,
    child,
    logFile: options.logFile,
    async stop(graceMs = 20_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
    async kill() {
      if (exited) return;
      child.kill('SIGKILL');
      await exit;
    },
    peakRssMiB: () => procStatusMiB(child.pid!, 'VmHWM'),
    rssMiB: () => procStatusMiB(child.pid!, 'VmRSS'),
    cpuSeconds: () => procCpuSeconds(child.pid!),
    resetPeakRss() {
      try {
        fs.writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    async eventLoop() {
      if (exited) return undefined;
      child.kill('SIGUSR2');
      const until = Date.now() + 5000;
      while (Date.now() < until) {
        try {
          const snap = JSON.parse(fs.readFileSync(eldFile, 'utf8')) as EventLoopSnapshot;
          if (snap.seq > lastSeq) {
            lastSeq = snap.seq;
            return snap;
          }
        } catch {
          // not written yet
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return undefined;
    },
  };
}

/** A size line of /proc/<pid>/status (VmHWM, VmRSS), in MiB; undefined off Linux or once exited. */
function procStatusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of /proc/<pid>/stat (in clock ticks of 1/100 s on Linux), in seconds. */
function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which is in parentheses and may hold spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
