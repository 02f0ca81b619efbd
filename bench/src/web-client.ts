// The web client's rows: how much JavaScript the home page loads before any lazy route
// (gzip), and when Chromium first paints a page (first contentful paint and largest
// contentful paint) over an emulated mobile network. Run alone:
//   node --import tsx bench/src/web-client.ts [--dist web/dist]
// (starts the real server on a fresh SQLite database with that build, and one account).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Row } from './run.ts';

export interface InitialJs {
  /** The files index.html loads up front (module script and modulepreload links). */
  files: string[];
  bytes: number;
  gzipBytes: number;
  /** Every .js file of the build, for comparison: what one bundle would weigh. */
  totalFiles: number;
  totalGzipBytes: number;
}

const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length;

/** The initial JavaScript of a build, from its index.html's script and modulepreload tags. */
export function initialJs(dist: string): InitialJs {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const files = tags
    .filter((t) => /type="module"|rel="modulepreload"/.test(t))
    .map((t) => /(?:src|href)="\/?([^"]+\.js)"/.exec(t)?.[1])
    .filter((s): s is string => Boolean(s));
  const all = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => path.join(dist, 'assets', f));
  return {
    files,
    bytes: files.reduce((sum, f) => sum + fs.statSync(path.join(dist, f)).size, 0),
    gzipBytes: files.reduce((sum, f) => sum + gzipSize(path.join(dist, f)), 0),
    totalFiles: all.length,
    totalGzipBytes: all.reduce((sum, f) => sum + gzipSize(f), 0),
  };
}

export interface PaintTimes {
  /** Medians over the runs, in ms from navigation start. */
  fcp: number | null;
  lcp: number | null;
  runs: number;
}

/** Lighthouse's mobile network: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up. */
const MOBILE_NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
};

/**
 * First contentful paint and largest contentful paint of each page, from the browser's own
 * PerformanceObserver entries, each run in a fresh context (cold cache). `cookie` signs the
 * context in (for the home feed).
 */
export async function measurePaint(baseUrl: string, pages: { path: string; cookie?: { name: string; value: string } }[], runs = 5): Promise<PaintTimes[]> {
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_ARGS, CHROMIUM_PATH } = await import('../../e2e/support/browser.ts');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const out: PaintTimes[] = [];
    for (const page of pages) {
      const fcp: number[] = [];
      const lcp: number[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 3 });
        if (page.cookie) await context.addCookies([{ ...page.cookie, url: baseUrl }]);
        const tab = await context.newPage();
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', MOBILE_NETWORK);
        await tab.goto(`${baseUrl}${page.path}`, { waitUntil: 'load' });
        await tab.waitForLoadState('networkidle');
        const times = await tab.evaluate(
          () =>
            new Promise<{ fcp: number | null; lcp: number | null }>((resolve) => {
              const fcpEntry = performance.getEntriesByName('first-contentful-paint')[0];
              let last: number | null = null;
              new PerformanceObserver((list) => {
                const entries = list.getEntries();
                last = entries[entries.length - 1].startTime;
              }).observe({ type: 'largest-contentful-paint', buffered: true });
              setTimeout(() => resolve({ fcp: fcpEntry ? fcpEntry.startTime : null, lcp: last }), 200);
            }),
        );
        if (times.fcp !== null) fcp.push(times.fcp);
        if (times.lcp !== null) lcp.push(times.lcp);
        await context.close();
      }
      out.push({ fcp: median(fcp), lcp: median(lcp), runs });
    }
    return out;
  } finally {
    await browser.close();
  }
}

export interface WebClientResult {
  js: InitialJs;
  profile: PaintTimes;
  home: PaintTimes;
}

/** Signs in through the web client's session endpoint; the session cookie for a browser context. */
export async function sessionCookie(baseUrl: string, login: string, password: string): Promise<{ name: string; value: string }> {
  const res = await fetch(`${baseUrl}/api/glimpse/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (res.status !== 200) throw new Error(`signing in ${login} answered ${res.status}`);
  const [name, value] = res.headers.getSetCookie()[0].split(';')[0].split('=');
  return { name, value };
}

/** Both figures for a build served at baseUrl: the profile of `username` signed out, the home feed signed in. */
export async function measureWebClient(dist: string, baseUrl: string, account: { username: string; password: string }, runs = 5): Promise<WebClientResult> {
  const js = initialJs(dist);
  const cookie = await sessionCookie(baseUrl, account.username, account.password);
  const [profile, home] = await measurePaint(baseUrl, [{ path: `/@${account.username}` }, { path: '/', cookie }], runs);
  return { js, profile, home };
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

export function webClientRows(r: WebClientResult): Row[] {
  const paint = (label: string, p: PaintTimes): Row[] => [
    { metric: `web client: ${label}, first contentful paint`, value: p.fcp, unit: 'ms', baseline: null, ratio: null, target: '', pass: null, note: `median of ${p.runs} cold loads, 390×844, 150 ms RTT and 1.6 Mbit/s emulated` },
    { metric: `web client: ${label}, largest contentful paint`, value: p.lcp, unit: 'ms', baseline: null, ratio: null, target: '', pass: null },
  ];
  return [
    {
      metric: 'web client: initial JavaScript (gzip)',
      value: kb(r.js.gzipBytes),
      unit: 'KiB',
      baseline: kb(r.js.totalGzipBytes),
      ratio: r.js.totalGzipBytes ? Math.round((100 * r.js.gzipBytes) / r.js.totalGzipBytes) / 100 : null,
      target: '',
      pass: null,
      note: `${r.js.files.length} of ${r.js.totalFiles} files before any lazy route (${kb(r.js.bytes)} KiB raw); the baseline is all of the build's JS`,
    },
    ...paint('signed-out profile', r.profile),
    ...paint('home feed', r.home),
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dist: { type: 'string' }, runs: { type: 'string', default: '5' } } });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const dist = path.resolve(values.dist ?? path.join(root, 'web/dist'));
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`no build in ${dist}: run npm run build -w web first`);
  // The browser tests' server: a fresh data directory, a free port, that build.
  process.env.GLIMPSE_E2E_WEB_DIST = dist;
  const { startServer } = await import('../../e2e/support/server.ts');
  const { createAccount } = await import('../../e2e/support/glimpse.ts');
  const server = await startServer();
  try {
    const account = await createAccount(server, 'benchprofile', { displayName: 'Bench Profile' });
    const result = await measureWebClient(dist, server.url, account, Number(values.runs));
    console.log(JSON.stringify(result, null, 2));
    for (const row of webClientRows(result)) console.log(`| ${row.metric} | ${row.value ?? '—'} ${row.unit} | ${row.baseline ?? ''} | ${row.note ?? ''} |`);
  } finally {
    await server.stop();
  }
}
