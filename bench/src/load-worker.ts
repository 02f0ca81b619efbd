/**
 * The load generator, in a process of its own (forked by run.ts / durability.ts): receives one
 * task as an IPC message, runs it with autocannon (or fetch, for polling and uploads), sends
 * the result back and exits. A 'stop' message ends an open-ended autocannon run early.
 */
import fs from 'node:fs';
import nodeHttp from 'node:http';
import os from 'node:os';
import autocannon from 'autocannon';

export interface HttpTask {
  type: 'http';
  url: string;
  /**
   * Several servers of one instance (`--nodes`): the connections are spread over them,
   * connection i to urls[i % urls.length] (paced: request i to urls[i % urls.length]); `url`
   * is then not used.
   */
  urls?: string[];
  path: string;
  /** A random one per request, as a bearer token; none for anonymous requests. */
  tokens?: string[];
  connections: number;
  /** Seconds; or run until `amount` requests, or until a 'stop' message. */
  duration?: number;
  amount?: number;
  /** Requests per second across all connections, evenly spaced (open loop); unpaced when absent. */
  overallRate?: number;
}

export interface StormTask {
  type: 'storm';
  url: string;
  /** As HttpTask.urls: connection i posts to urls[i % urls.length]. */
  urls?: string[];
  postId: string;
  tokens: string[];
  amount: number;
  connections: number;
  /** Share of requests that repeat an earlier (account, Idempotency-Key) pair. */
  retryFraction: number;
  seed: number;
  /** Makes this run's keys unique (a reused database keeps earlier runs' keys). */
  runId: string;
}

export interface ReachTask {
  type: 'reach';
  url: string;
  authorToken: string;
  mediaId: string;
  followerTokens: string[];
  timeoutMs: number;
  /**
   * 'post' (default): POST /api/v1/statuses, then poll the followers' home feeds for it.
   * 'story': POST /api/glimpse/v1/stories, then poll their story trays until the author's
   * entry shows it (latest_at at or after the story's created_at).
   */
  kind?: 'post' | 'story';
  /** The author's account id (for 'story': their tray entry is looked for). */
  authorId?: string;
}

export interface UploadTask {
  type: 'uploads';
  url: string;
  tokens: string[];
  files: string[];
  count: number;
  concurrency: number;
}

export type Task = HttpTask | StormTask | ReachTask | UploadTask;

export interface HttpResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** 2xx answers per second. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  /** Mean bytes of an answer, headers included (autocannon's runs; 0 for paced ones). */
  bytesPerAnswer: number;
}

export interface StormResult extends HttpResult {
  sent: number;
  retries: number;
  distinctKeys: number;
  keysAccepted: number;
  /** Distinct status ids in 2xx answers. */
  distinctIds: number;
  /** Keys that were answered with more than one id (a retry that made a second comment). */
  keysWithSeveralIds: number;
}

export interface ReachResult {
  statusId: string;
  postMs: number;
  /** From sending the POST until the last sampled follower saw the post. */
  reachMs: number;
  medianMs: number;
  seen: number;
  missing: number;
}

export interface UploadResult {
  count: number;
  ready: number;
  failed: number;
  rejected: number;
  seconds: number;
  photosPerSecond: number;
  statusCodes: Record<string, number>;
}

function summarize(result: autocannon.Result): HttpResult {
  const ok = result['2xx'];
  const statusCodes: Record<string, number> = {};
  for (const [code, n] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (n as { count: number }).count;
  return {
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    rps: result.duration > 0 ? ok / result.duration : 0,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    statusCodes,
    bytesPerAnswer: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
  };
}

let current: { stop(): void } | undefined;

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    current = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * A paced load, open loop: request i is due at start + i / rate, whether or not earlier ones
 * were answered, and its latency counts from when it was due, so time spent waiting for a free
 * connection behind a slow server is charged too (no coordinated omission). autocannon's
 * overallRate is not used for this: each of its connections sends its per-second quota back to
 * back when a one-second timer fires, so "50% of saturation" arrives as bursts at full speed
 * in the first part of every second, and its latency correction assumes a 1 ms interval.
 */
async function pacedHttp(task: HttpTask & { overallRate: number }): Promise<HttpResult> {
  // A paced probe stands for a person using the site: on a real deployment it would not share
  // the server's cores with the load generators. Here it does (2 cores: server, storm, probe),
  // so it asks for a higher scheduling priority, and its own lateness does not count against
  // the server. Without the right to (not root), it runs at the normal priority.
  try {
    os.setPriority(-10);
  } catch {
    // not permitted: measured as is
  }
  const tokens = task.tokens ?? [];
  const targets = (task.urls?.length ? task.urls : [task.url]).map((u) => new URL(task.path, u));
  // maxSockets is per origin: the connections are shared out over the servers.
  const agent = new nodeHttp.Agent({ keepAlive: true, maxSockets: Math.max(1, Math.ceil(task.connections / targets.length)) });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let stopped = false;
  const intervalMs = 1000 / task.overallRate;
  const durationMs = task.duration !== undefined ? task.duration * 1000 : Infinity;
  const maxRequests = task.amount ?? Infinity;
  const started = performance.now();
  let sent = 0;

  const send = (dueAt: number, target: URL) =>
    new Promise<void>((resolve) => {
      const headers: Record<string, string> = {};
      if (tokens.length) headers.authorization = `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}`;
      const req = nodeHttp.request(target, { agent, headers, timeout: 30_000 }, (res) => {
        res.on('error', () => {
          errors += 1;
          resolve();
        });
        res.resume();
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          if (code >= 200 && code < 300) {
            ok += 1;
            latencies.push(performance.now() - dueAt);
          } else {
            non2xx += 1;
          }
          resolve();
        });
      });
      req.on('timeout', () => {
        timeouts += 1;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });

  const pending = new Set<Promise<void>>();
  current = { stop: () => (stopped = true) };
  while (!stopped) {
    const now = performance.now();
    if (now - started >= durationMs || sent >= maxRequests) break;
    // Everything due by now goes out (a late timer catches up instead of thinning the load).
    while (sent < maxRequests && started + sent * intervalMs <= now) {
      const p = send(started + sent * intervalMs, targets[sent % targets.length]);
      pending.add(p);
      void p.then(() => pending.delete(p));
      sent += 1;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(intervalMs, started + sent * intervalMs - performance.now()))));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    ok,
    non2xx,
    errors,
    timeouts,
    seconds,
    rps: seconds > 0 ? ok / seconds : 0,
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
    statusCodes,
    bytesPerAnswer: 0,
  };
}

async function http(task: HttpTask): Promise<HttpResult> {
  if (task.overallRate) return pacedHttp({ ...task, overallRate: task.overallRate });
  const tokens = task.tokens ?? [];
  const result = await run({
    // Several URLs: autocannon gives connection i the URL i % n (one histogram for all).
    url: task.urls?.length ? task.urls : task.url,
    connections: task.connections,
    // autocannon refuses a `duration` key that is present but undefined.
    ...(task.amount ? { amount: task.amount } : { duration: task.duration ?? 3600 }),
    timeout: 30,
    requests: [
      {
        method: 'GET',
        path: task.path,
        setupRequest: (req: any) => {
          if (tokens.length) req.headers = { ...req.headers, authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}` };
          return req;
        },
      },
    ],
  } as autocannon.Options);
  return summarize(result);
}

// The storm of BENCHMARK.md: 90% near-identical "Not Ines" variants (one fold key, `notines`,
// docs/architecture.md), 10% distinct comments, of which a fifth carry the post author's
// hidden word ("boring") and are hidden by moderation.
export const NEAR_IDENTICAL = ['Not Ines', 'not ines!!!', 'NOT INES 😡😡', 'Not   Innnes', 'not ines.', 'Not Inès', '#NotInes', 'Not Ines!!'];
export const HIDDEN_WORD = 'boring';

export function stormText(rand: () => number, key: string): string {
  if (rand() < 0.9) return NEAR_IDENTICAL[Math.floor(rand() * NEAR_IDENTICAL.length)];
  return rand() < 0.2 ? `so ${HIDDEN_WORD}, ${key} again` : `comment ${key} about the light in this one`;
}

async function storm(task: StormTask): Promise<StormResult> {
  let state = task.seed >>> 0 || 1;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const sent: Array<{ token: string; key: string }> = [];
  const idsByKey = new Map<string, Set<string>>();
  const ids = new Set<string>();
  let retries = 0;
  const result = await run({
    url: task.urls?.length ? task.urls : task.url,
    connections: task.connections,
    amount: task.amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/statuses',
        setupRequest: (req: any, context: any) => {
          let pair: { token: string; key: string };
          if (sent.length > 0 && rand() < task.retryFraction) {
            pair = sent[Math.floor(rand() * sent.length)];
            retries += 1;
          } else {
            pair = { token: task.tokens[Math.floor(rand() * task.tokens.length)], key: `storm-${task.runId}-${sent.length}` };
            sent.push(pair);
          }
          context.key = pair.key;
          const text = stormText(rand, pair.key);
          req.headers = { 'content-type': 'application/json', authorization: `Bearer ${pair.token}`, 'idempotency-key': pair.key };
          req.body = JSON.stringify({ status: text, in_reply_to_id: task.postId });
          return req;
        },
        onResponse: (status: number, body: string, context: any) => {
          if (status < 200 || status >= 300) return;
          const match = /^\{"id":"(\d+)"/.exec(body);
          if (!match) return;
          ids.add(match[1]);
          const set = idsByKey.get(context.key) ?? new Set<string>();
          set.add(match[1]);
          idsByKey.set(context.key, set);
        },
      },
    ],
  } as autocannon.Options);
  return {
    ...summarize(result),
    sent: task.amount,
    retries,
    distinctKeys: sent.length,
    keysAccepted: idsByKey.size,
    distinctIds: ids.size,
    keysWithSeveralIds: [...idsByKey.values()].filter((s) => s.size > 1).length,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function reach(task: ReachTask): Promise<ReachResult> {
  const story = task.kind === 'story';
  const started = performance.now();
  const res = story
    ? await fetch(`${task.url}/api/glimpse/v1/stories`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${task.authorToken}` },
        body: JSON.stringify({ media_id: task.mediaId, audience: 'followers' }),
      })
    : await fetch(`${task.url}/api/v1/statuses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${task.authorToken}` },
        body: JSON.stringify({ status: 'A new photo for everyone', media_ids: [task.mediaId] }),
      });
  const body = (await res.json()) as { id?: string; created_at?: string };
  if (!res.ok || !body.id) throw new Error(`${story ? 'story' : 'posting'} failed: ${res.status} ${JSON.stringify(body)}`);
  const postMs = performance.now() - started;
  const needle = `"id":"${body.id}"`;
  const seesIt = (text: string) => {
    if (!story) return text.includes(needle);
    const tray = JSON.parse(text) as Array<{ account: { id: string }; latest_at: string }>;
    return tray.some((e) => e.account.id === task.authorId && e.latest_at >= body.created_at!);
  };
  const pollPath = story ? '/api/glimpse/v1/stories/tray' : '/api/v1/timelines/home?limit=20';
  const deadline = started + task.timeoutMs;
  const seenAt = await Promise.all(
    task.followerTokens.map(async (token) => {
      while (performance.now() < deadline) {
        const r = await fetch(`${task.url}${pollPath}`, { headers: { authorization: `Bearer ${token}` } });
        const text = await r.text();
        if (r.ok && seesIt(text)) return performance.now() - started;
        await sleep(10);
      }
      return undefined;
    }),
  );
  const seen = seenAt.filter((t): t is number => t !== undefined).sort((a, b) => a - b);
  return {
    statusId: body.id,
    postMs,
    reachMs: seen.length ? seen[seen.length - 1] : Number.NaN,
    medianMs: seen.length ? seen[Math.floor(seen.length / 2)] : Number.NaN,
    seen: seen.length,
    missing: seenAt.length - seen.length,
  };
}

async function uploads(task: UploadTask): Promise<UploadResult> {
  const images = task.files.map((f) => fs.readFileSync(f));
  const statusCodes: Record<string, number> = {};
  let ready = 0;
  let failed = 0;
  let rejected = 0;
  let next = 0;
  const started = performance.now();
  const one = async (i: number) => {
    const token = task.tokens[i % task.tokens.length];
    const form = new FormData();
    form.append('file', new Blob([images[i % images.length]], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(`${task.url}/api/v2/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    statusCodes[res.status] = (statusCodes[res.status] ?? 0) + 1;
    const media = (await res.json()) as { id?: string };
    if (res.status === 200) return void (ready += 1);
    if (res.status !== 202 || !media.id) return void (rejected += 1);
    for (;;) {
      await sleep(25);
      const poll = await fetch(`${task.url}/api/v1/media/${media.id}`, { headers: { authorization: `Bearer ${token}` } });
      await poll.arrayBuffer();
      if (poll.status === 200) return void (ready += 1);
      if (poll.status !== 206) return void (failed += 1);
    }
  };
  await Promise.all(
    Array.from({ length: task.concurrency }, async () => {
      while (next < task.count) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { count: task.count, ready, failed, rejected, seconds, photosPerSecond: ready / seconds, statusCodes };
}

process.on('message', (message: Task | 'stop') => {
  if (message === 'stop') {
    current?.stop();
    return;
  }
  const work = message.type === 'http' ? http(message) : message.type === 'storm' ? storm(message) : message.type === 'reach' ? reach(message) : uploads(message);
  work.then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: Error) => process.send!({ ok: false, error: String(error?.stack ?? error) }, () => process.exit(1)),
  );
});
