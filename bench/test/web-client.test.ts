// The web client rows' arithmetic on a made-up build: which files count as initial, and the
// rows built from a result. Chromium is not started here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { initialJs, webClientRows } from '../src/web-client.ts';

test('initial JavaScript counts the module script and its modulepreload links, not the lazy chunks', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-web-client-'));
  try {
    fs.mkdirSync(path.join(dist, 'assets'));
    const files = { 'index-a.js': 'a'.repeat(5000), 'vendor-b.js': 'console.log("b");'.repeat(100), 'lazy-c.js': 'c'.repeat(9000) };
    for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dist, 'assets', name), body);
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><head><script type="module" crossorigin src="/assets/index-a.js"></script><link rel="modulepreload" crossorigin href="/assets/vendor-b.js"><link rel="stylesheet" href="/assets/index.css"></head>',
    );
    const js = initialJs(dist);
    assert.deepEqual(js.files, ['assets/index-a.js', 'assets/vendor-b.js']);
    assert.equal(js.bytes, files['index-a.js'].length + files['vendor-b.js'].length);
    assert.equal(js.gzipBytes, zlib.gzipSync(files['index-a.js']).length + zlib.gzipSync(files['vendor-b.js']).length);
    assert.equal(js.totalFiles, 3);
    assert.ok(js.totalGzipBytes > js.gzipBytes);

    const rows = webClientRows({ js, profile: { fcp: 120, lcp: 180, runs: 5 }, home: { fcp: 130, lcp: null, runs: 5 } });
    assert.equal(rows[0].metric, 'web client: initial JavaScript (gzip)');
    assert.equal(rows[0].ratio, Math.round((100 * js.gzipBytes) / js.totalGzipBytes) / 100);
    assert.deepEqual(rows.slice(1).map((r) => r.value), [120, 180, 130, null]);
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
});
