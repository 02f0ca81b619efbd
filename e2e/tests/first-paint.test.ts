import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createAccount, signIn, useGlimpse } from '../support/glimpse.ts';
import { WEB_DIST } from '../support/server.ts';

/**
 * What a visitor gets before the client's code runs: the app's frame in the HTML itself, a
 * profile's own title and Open Graph tags, no source maps, and a home page that loads only
 * its own share of the split bundle.
 */
const glimpse = useGlimpse();

/** The JS files index.html loads up front: its module script and modulepreload links. */
function initialScripts(html: string): string[] {
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  return tags.filter((t) => /type="module"|rel="modulepreload"/.test(t)).map((t) => /(?:src|href)="([^"]+\.js)"/.exec(t)?.[1]).filter((s): s is string => Boolean(s));
}

test('with JavaScript off, the page already shows the frame: the logo and the feed skeleton, on a phone and a desktop', async () => {
  await createAccount(glimpse.server, 'painter', { displayName: 'Painter' });
  for (const [size, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await glimpse.browser.browser.newContext({ baseURL: glimpse.server.url, viewport, javaScriptEnabled: false });
    const page = await context.newPage();
    for (const url of ['/', '/@painter']) {
      await page.goto(url);
      await page.locator('.shell-skeleton').first().waitFor({ state: 'visible' });
      assert.equal(await page.getByText('Glimpse', { exact: true }).first().isVisible(), true, `${url} ${size}: the logo`);
      assert.ok((await page.locator('.shell-photo').first().boundingBox())!.height > 100, `${url} ${size}: a photo placeholder with a size (the stylesheet applied)`);
    }
    await context.close();
  }
});

test('the raw HTML of a profile page has its own <title> and Open Graph tags', async () => {
  await createAccount(glimpse.server, 'sky', { displayName: 'Sky & Sea' });
  const html = await (await fetch(`${glimpse.server.url}/@sky`)).text();
  assert.match(html, /<title>Sky &amp; Sea \(@sky\) · [^<]+<\/title>/);
  assert.match(html, /<meta property="og:title" content="Sky &amp; Sea \(@sky\)">/);
  assert.match(html, new RegExp(`<meta property="og:url" content="${glimpse.server.url}/@sky">`));
  assert.match(html, /<meta property="og:image" content="[^"]+">/);
});

test('no source map is served and the built JavaScript does not point to one', async () => {
  const html = await (await fetch(`${glimpse.server.url}/`)).text();
  const scripts = initialScripts(html);
  assert.ok(scripts.length > 0, 'index.html loads a bundle');
  for (const script of scripts) {
    const js = await fetch(`${glimpse.server.url}${script}`);
    assert.equal(js.status, 200, script);
    assert.doesNotMatch(await js.text(), /sourceMappingURL/, script);
    assert.equal((await fetch(`${glimpse.server.url}${script}.map`)).status, 404, `${script}.map`);
  }
  const built = fs.readdirSync(path.join(WEB_DIST, 'assets'));
  assert.deepEqual(built.filter((f) => f.endsWith('.map')), [], 'the build writes no .map file');
});

test('the home page loads only part of the client\'s JavaScript: the bundle is split by route', async () => {
  const account = await createAccount(glimpse.server, 'homebody');
  const { context, page } = await glimpse.desktop();
  await signIn(context, glimpse.server, account);
  const loaded = new Set<string>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('.js')) loaded.add(path.basename(url.pathname));
  });
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.waitForLoadState('networkidle');
  const assets = path.join(WEB_DIST, 'assets');
  const all = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
  const size = (files: Iterable<string>) => [...files].reduce((sum, f) => sum + fs.statSync(path.join(assets, f)).size, 0);
  assert.ok(loaded.size > 0 && [...loaded].every((f) => all.includes(f)), 'the page loaded built chunks');
  assert.ok(size(loaded) < size(all), `home loaded ${size(loaded)} of ${size(all)} bytes`);
  assert.ok(all.length > loaded.size + 5, `many route chunks are left for later (${loaded.size} of ${all.length} loaded)`);
});
