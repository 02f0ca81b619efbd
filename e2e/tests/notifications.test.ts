import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { assertAccessible } from '../support/axe.ts';
import { createAccount, signIn, useGlimpse, type TestAccount } from '../support/glimpse.ts';
import type { GlimpseServer } from '../support/server.ts';

/**
 * Issue 15 items 2, 6 and "Follow back": a photo with many likes and comments from several
 * accounts and a follow request, seen as grouped rows with the thumbnail, filtered by tabs;
 * the request accepted and followed back; and Explore showing the liked photo and suggestions.
 */
const glimpse = useGlimpse();
let photo: Buffer;

before(async () => {
  photo = await sharp({ create: { width: 600, height: 600, channels: 3, background: { r: 30, g: 140, b: 200 } } }).jpeg({ quality: 80 }).toBuffer();
});

/** A signed-in HTTP session of one account, as the web client has it (cookie and CSRF token). */
async function sessionOf(server: GlimpseServer, account: TestAccount) {
  const response = await fetch(`${server.url}/api/glimpse/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: account.username, password: account.password }),
  });
  const body = (await response.json()) as { csrf_token: string };
  if (response.status !== 200) throw new Error(`signing in ${account.username} answered ${response.status}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const headers = { Cookie: cookie, 'X-CSRF-Token': body.csrf_token };
  const call = async (method: string, url: string, data?: unknown) => {
    const res = await fetch(`${server.url}${url}`, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : JSON.stringify(data ?? {}) });
    const json = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`${account.username} ${method} ${url} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const postPhoto = async (caption: string): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
    form.append('description', 'A blue square');
    const upload = await fetch(`${server.url}/api/v2/media`, { method: 'POST', headers, body: form });
    let media = (await upload.json()) as { id: string; url: string | null };
    for (let tries = 0; media.url === null && tries < 240; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      media = await call('GET', `/api/v1/media/${media.id}`);
    }
    const posted = await call('POST', '/api/v1/statuses', { status: caption, media_ids: [media.id] });
    return posted.id as string;
  };
  return { call, postPhoto };
}

test('grouped notifications, filters, pending requests on top, follow back, and explore, at both sizes', async () => {
  const { server } = glimpse;
  const mara = await createAccount(server, 'mara', { displayName: 'Mara' });
  const fans = await Promise.all(Array.from({ length: 10 }, (_, i) => createAccount(server, `fan${i}`)));
  const seeker = await createAccount(server, 'seeker');
  const asker = await createAccount(server, 'asker');
  const explorer = await createAccount(server, 'explorer');
  const sunny = await createAccount(server, 'sunny');

  const owner = await sessionOf(server, mara);
  const postId = await owner.postPhoto('Party photo');
  // Ten accounts like it, three of them comment twice each.
  for (const [i, fan] of fans.entries()) {
    const as = await sessionOf(server, fan);
    await as.call('POST', `/api/v1/statuses/${postId}/favourite`);
    if (i >= 7) {
      await as.call('POST', '/api/v1/statuses', { status: `Lovely ${i}a`, in_reply_to_id: postId });
      await as.call('POST', '/api/v1/statuses', { status: `Lovely ${i}b`, in_reply_to_id: postId });
    }
  }
  // Then Mara goes private, and someone asks to follow.
  await owner.call('PATCH', '/api/v1/accounts/update_credentials', { locked: true });
  for (const who of [seeker, asker]) await (await sessionOf(server, who)).call('POST', `/api/v1/accounts/${mara.id}/follow`);

  for (const size of ['phone', 'desktop'] as const) {
    const { context, page } = await glimpse[size]();
    await signIn(context, server, mara);
    await page.goto('/notifications');
    const likes = page.locator('li.notification-favourite .notification-text');
    await likes.waitFor();
    assert.match(await likes.innerText(), /^fan9 and 9 others liked your post/);
    const comments = page.locator('li.notification-comment .notification-text');
    assert.match(await comments.innerText(), /^fan9 and 2 others left 6 comments on your post: “?Lovely 9b/);
    assert.equal(await page.locator('li.notification-favourite .notification-thumb img').count(), 1);
    await page.locator('li.notification-comment .notification-thumb img').waitFor();
    // The request is on top, above the likes.
    const pending = page.locator('a.pending-requests');
    assert.match(await pending.innerText(), /Requests to follow you[\s\S]*seeker/);
    await assertAccessible(page, `notifications, ${size}`);

    await page.getByRole('tab', { name: 'Mentions and comments' }).click();
    assert.equal(await page.getByRole('tab', { name: 'Mentions and comments' }).getAttribute('aria-selected'), 'true');
    await page.locator('li.notification-comment').waitFor();
    await page.locator('li.notification-favourite').waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Follow requests' }).click();
    await page.locator('li.notification-follow_request').first().waitFor();
    assert.equal(await page.locator('li.notification-comment').count(), 0);
    await assertAccessible(page, `notifications filtered, ${size}`);

    {
      // Accept, then follow back: one requester on each size.
      const requester = size === 'phone' ? 'asker' : 'seeker';
      await pending.click();
      await page.waitForURL('**/follow-requests');
      await page.getByRole('listitem').filter({ hasText: `@${requester}` }).getByRole('button', { name: 'Accept' }).click();
      const accepted = page.getByRole('region', { name: 'Accepted' });
      await accepted.getByRole('button', { name: 'Follow back' }).click();
      await accepted.getByRole('button', { name: 'Following' }).waitFor();
      await assertAccessible(page, `follow requests after accepting, ${size}`);
    }
    await context.close();
  }

  // Explore, for someone else: a liked photo of a public account trends (a private one's never does), and someone is suggested.
  const sunnyPost = await (await sessionOf(server, sunny)).postPhoto('Blue hour');
  for (const fan of fans.slice(0, 3)) await (await sessionOf(server, fan)).call('POST', `/api/v1/statuses/${sunnyPost}/favourite`);
  for (const size of ['phone', 'desktop'] as const) {
    const { context, page } = await glimpse[size]();
    await signIn(context, server, explorer);
    await page.goto('/explore');
    const tile = page.getByRole('link', { name: 'Blue hour' });
    await tile.waitFor();
    assert.equal(await tile.getAttribute('href'), `/@sunny/${sunnyPost}`);
    const suggestions = page.getByRole('region', { name: 'Suggested for you' });
    await suggestions.getByRole('button', { name: 'Follow' }).first().waitFor();
    await assertAccessible(page, `explore, ${size}`);
    await context.close();
  }
});
