import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { sessionOf, uploadPhoto } from '../support/api-session.ts';
import { assertAccessible } from '../support/axe.ts';
import { errorsOf } from '../support/browser.ts';
import { createAccount, signIn, useGlimpse, type TestAccount } from '../support/glimpse.ts';

/**
 * axe on every page of the client, at phone and desktop size, signed in as an admin (so the
 * staff pages count too) and signed out; a few pages again in dark mode. One server and one
 * seeded world for all of it: an admin with a photo post (with a hashtag), a live story and a
 * follower. Signed-out pages must also log no console error.
 */
const glimpse = useGlimpse();

interface World {
  mara: TestAccount & { accountId: string };
  postPath: string;
}
let world: World;

/** Seeded once, inside the first test (the harness's server starts in its own before hook). */
let seeding: Promise<void> | undefined;
const seeded = () => (seeding ??= seed());

async function seed(): Promise<void> {
  const { server } = glimpse;
  // The server's first account is its admin.
  const mara = await createAccount(server, 'mara', { displayName: 'Mara' });
  const fan = await createAccount(server, 'fan');
  const api = await sessionOf(server, mara);
  const me = await api('GET', '/api/v1/accounts/verify_credentials');
  await api('PATCH', '/api/v1/accounts/update_credentials', { note: 'Night skies and city lights' });
  const post = await api('POST', '/api/v1/statuses', { status: 'Sunset over the bay #sunset', media_ids: [await uploadPhoto(api, { from: { r: 220, g: 120, b: 40 }, description: 'An orange square' })] });
  await api('POST', '/api/glimpse/v1/stories', { media_id: await uploadPhoto(api, { from: { r: 40, g: 120, b: 220 }, description: 'An orange square' }) });
  const fanApi = await sessionOf(server, fan);
  await fanApi('POST', `/api/v1/accounts/${me.id}/follow`);
  await fanApi('POST', '/api/v1/statuses', { status: 'Lovely colours', in_reply_to_id: post.id });
  world = { mara: { ...mara, accountId: me.id }, postPath: `/@mara/${post.id}` };
}

/** Opens a path and waits until the page has drawn its content (no skeleton, no spinner, no request in flight). */
async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  const started = Date.now();
  await page.waitForFunction(() => document.querySelector('#main, main, .story-viewer') && !document.querySelector('.shell-skeleton, .loading'), undefined, { timeout: 10_000 }).catch(() => console.log(`still loading after 10 s: ${path}`));
  if (process.env.A11Y_TIMING) console.log(`${path}: ${Date.now() - started} ms`);
}

/** Runs axe on each path and collects every failure, so one run lists them all. */
async function check(page: Page, paths: string[], size: string, failures: string[]): Promise<void> {
  for (const path of paths) {
    await visit(page, path);
    try {
      await assertAccessible(page, `${path} (${size})`);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
}

const signedInPaths = () => [
  '/',
  '/search',
  '/compose',
  '/stories/new',
  '/notifications',
  '/direct',
  '/direct/new',
  '/follow-requests',
  '/@mara',
  '/@mara/followers',
  '/@mara/following',
  world.postPath,
  `${world.postPath}/hidden`,
  `${world.postPath}/digest`,
  '/tags/sunset',
  `/stories/${world.mara.accountId}`,
  ...['profile', 'email', 'password', 'security', 'blocked', 'muted', 'comments', 'hidden-words', 'close-friends', 'highlights', 'story-archive', 'filters', 'scheduled', 'import-export', 'delete-account'].map((s) => `/settings/${s}`),
  '/admin/reports',
  '/admin/instance',
  '/no/such/page',
];

const signedOutPaths = () => ['/login', '/signup', '/forgot-password', '/@mara', '/@mara/followers', world.postPath, '/tags/sunset', '/no/such/page'];

test('every signed-in page, an admin\'s included, has no serious or critical axe violation on a phone and a desktop', async () => {
  await seeded();
  const failures: string[] = [];
  for (const size of ['phone', 'desktop'] as const) {
    const { context, page } = await glimpse[size]();
    await signIn(context, glimpse.server, world.mara);
    await check(page, signedInPaths(), size, failures);
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('every signed-out page has no serious or critical axe violation and logs no console error, on a phone and a desktop', async () => {
  await seeded();
  const failures: string[] = [];
  for (const size of ['phone', 'desktop'] as const) {
    const { context, page } = await glimpse[size]();
    for (const path of signedOutPaths()) {
      await check(page, [path], size, failures);
      const errors = errorsOf(page).splice(0);
      if (errors.length) failures.push(`${path} (${size}) logged:\n  ${errors.join('\n  ')}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('dark mode passes axe too (colour contrast on the dark palette)', async () => {
  await seeded();
  const failures: string[] = [];
  const open = async (options: { isMobile?: boolean; viewport: { width: number; height: number } }): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await glimpse.browser.browser.newContext({ ...options, baseURL: glimpse.server.url, colorScheme: 'dark', locale: 'en-US' });
    return { context, page: await context.newPage() };
  };
  // A sample, not every page: the dark palette is one set of variables, and axe is slow here.
  const phone = { isMobile: true, viewport: { width: 390, height: 844 } };
  const desktop = { viewport: { width: 1280, height: 800 } };
  const guest = await open(phone);
  await check(guest.page, ['/login', world.postPath], 'phone, dark', failures);
  await guest.context.close();
  for (const [size, options, paths] of [
    ['phone, dark', phone, ['/', '/settings/profile']],
    ['desktop, dark', desktop, [world.postPath, '/admin/reports']],
  ] as const) {
    const member = await open(options);
    await signIn(member.context, glimpse.server, world.mara);
    await check(member.page, [...paths], size, failures);
    await member.context.close();
  }
  assert.deepEqual(failures, []);
});

