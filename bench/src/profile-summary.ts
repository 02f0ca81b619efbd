/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): self time by function and
 * by where the code lives (a package, a server folder, native/GC).
 *   node --import tsx bench/src/profile-summary.ts FILE.cpuprofile [top]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function summarize(file: string, top = 25): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
  const total = profile.samples.length;
  const hitsById = new Map<number, number>();
  for (const id of profile.samples) hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = hitsById.get(node.id) ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    const fn = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(short)?.[1];
    const place = pkg ?? (short.startsWith('server/src/') ? short.split('/').slice(0, 4).join('/') : short.startsWith('node:') ? 'node: internals' : short ? short : functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `  ${pct(v).padStart(6)}  ${k}`).join('\n');
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  return `${file}: ${seconds.toFixed(1)} s, ${total} samples\nself time by place:\n${list(byPlace)}\nself time by function:\n${list(byFunction)}`;
}

if (process.argv[2]) console.log(summarize(process.argv[2], Number(process.argv[3] ?? 25)));
