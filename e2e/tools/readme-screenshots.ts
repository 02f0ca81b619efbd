/**
 * The README's screenshots: the home feed and a post page on a 1440×900 desktop, taken from a
 * fresh server with a small seeded world (a photographer, her friends, a carousel, comments).
 *   node --import tsx e2e/tools/readme-screenshots.ts    (writes docs/screenshots/*.png)
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../support/browser.ts';
import { createAccount, signIn } from '../support/glimpse.ts';
import { ROOT, startServer } from '../support/server.ts';
import { gradientJpeg, sessionOf, uploadPhoto } from '../support/api-session.ts';

const out = path.join(ROOT, 'docs/screenshots');
fs.mkdirSync(out, { recursive: true });

const server = await startServer();
const browser = await launchBrowser();
try {
  const mara = await createAccount(server, 'mara', { displayName: 'Mara Quint' });
  const ines = await createAccount(server, 'ines', { displayName: 'Ines Duarte' });
  const friends = await Promise.all(['leo', 'sam', 'noor', 'kai'].map((name) => createAccount(server, name, { displayName: name[0]!.toUpperCase() + name.slice(1) })));
  const maraApi = await sessionOf(server, mara);
  const inesApi = await sessionOf(server, ines);
  const maraId = (await maraApi('GET', '/api/v1/accounts/verify_credentials')).id as string;
  await maraApi('PATCH', '/api/v1/accounts/update_credentials', { note: 'Light, sea and the people I love.' });
  for (const [api, from, to] of [[maraApi, { r: 250, g: 120, b: 160 }, { r: 120, g: 60, b: 200 }], [inesApi, { r: 60, g: 190, b: 170 }, { r: 30, g: 80, b: 160 }]] as const) {
    const avatar = new FormData();
    avatar.append('avatar', new Blob([new Uint8Array(await gradientJpeg(400, 400, from, to))], { type: 'image/jpeg' }), 'avatar.jpg');
    await api('PATCH', '/api/v1/accounts/update_credentials', avatar);
  }

  const carousel = await Promise.all([
    uploadPhoto(maraApi, { width: 1080, height: 1350, from: { r: 255, g: 140, b: 90 }, to: { r: 120, g: 40, b: 140 }, description: 'Sunset over the harbour' }),
    uploadPhoto(maraApi, { width: 1080, height: 1350, from: { r: 40, g: 160, b: 200 }, to: { r: 10, g: 40, b: 90 }, description: 'The sea at dusk' }),
    uploadPhoto(maraApi, { width: 1080, height: 1350, from: { r: 250, g: 210, b: 90 }, to: { r: 230, g: 90, b: 60 }, description: 'Lanterns at the party' }),
  ]);
  const inesPhoto = await uploadPhoto(inesApi, { width: 1080, height: 1080, from: { r: 90, g: 200, b: 140 }, to: { r: 20, g: 90, b: 110 }, description: 'Green hills' });
  await inesApi('POST', '/api/v1/statuses', { status: 'Morning walk before the party', media_ids: [inesPhoto] });
  await maraApi('POST', '/api/glimpse/v1/stories', { media_id: await uploadPhoto(maraApi, { width: 1080, height: 1920, from: { r: 255, g: 200, b: 80 }, to: { r: 240, g: 80, b: 120 } }) });
  const post = await maraApi('POST', '/api/v1/statuses', { status: 'Birthday weekend by the sea, thank you all! #birthday', media_ids: carousel });

  await inesApi('POST', `/api/v1/accounts/${maraId}/follow`);
  for (const [i, friend] of friends.entries()) {
    const api = await sessionOf(server, friend);
    await api('POST', `/api/v1/accounts/${maraId}/follow`);
    await api('POST', `/api/v1/statuses/${post.id}/favourite`);
    await api('POST', '/api/v1/statuses', { in_reply_to_id: post.id, status: ['Happy birthday, Mara!', 'These colours are unreal', 'Best party of the year', 'Miss you already'][i] });
  }
  await inesApi('POST', `/api/v1/statuses/${post.id}/favourite`);

  const context = await browser.browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url, locale: 'en-US', timezoneId: 'UTC' });
  await signIn(context, server, ines);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('article').first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('article img')].slice(0, 1).every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0));
  await page.screenshot({ path: path.join(out, 'feed-desktop.png') });

  await page.goto(`/@mara/${post.id}`);
  await page.getByText('Happy birthday, Mara!').waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('article img')].slice(0, 1).every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0));
  await page.screenshot({ path: path.join(out, 'post-desktop.png') });
  console.log(`written to ${path.relative(ROOT, out)}/feed-desktop.png and post-desktop.png`);
} finally {
  await browser.close();
  await server.stop();
}
