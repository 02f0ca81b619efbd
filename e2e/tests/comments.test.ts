import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { errorsOf } from '../support/browser.ts';
import { createAccount, passwordFor, signIn, useGlimpse, type TestAccount } from '../support/glimpse.ts';
import type { GlimpseServer } from '../support/server.ts';

/**
 * Scenario steps 3 and 4 (shared/design/PRODUCT.md) in Chromium against the real server: a
 * flood of comments on Mara's party photo, hidden words keeping the abuse out of sight (but not
 * out of its author's), the storm of "Not Ines" folded out of the conversation, comments limited
 * to followers from the post page, and the reactions digest.
 */
const glimpse = useGlimpse();

let photoDir = '';
/** The storm's post, for the report test that follows it. */
let stormPostPath = '';
let photo = '';

before(async () => {
  photoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-e2e-comments-'));
  photo = path.join(photoDir, 'party.jpg');
  await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg({ quality: 80 }).toFile(photo);
});

after(() => {
  if (photoDir) fs.rmSync(photoDir, { recursive: true, force: true });
});

/** A signed-in HTTP session of one account, as the web client has it (cookie and CSRF token). */
async function sessionOf(server: GlimpseServer, account: TestAccount) {
  const response = await fetch(`${server.url}/api/glimpse/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: account.username, password: account.password }),
  });
  const body = (await response.json()) as { csrf_token: string };
  if (response.status !== 200) throw new Error(`signing in ${account.username} answered ${response.status}: ${JSON.stringify(body)}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method: string, url: string, data?: unknown) => {
    const form = data instanceof FormData;
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { ...(form ? {} : { 'Content-Type': 'application/json' }), Cookie: cookie, 'X-CSRF-Token': body.csrf_token },
      body: form ? data : method === 'GET' ? undefined : JSON.stringify(data ?? {}),
    });
    const json = (await res.json()) as any;
    if (res.status !== 200 && res.status !== 202) throw new Error(`${account.username} ${method} ${url} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
}

/** Comments through the post page's own box. */
async function commentInBrowser(page: Page, postPath: string, text: string) {
  await page.goto(postPath);
  const box = page.getByRole('textbox', { name: 'Add a comment…' });
  await box.fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.getByRole('list', { name: 'Comments' }).getByText(text, { exact: true }).waitFor();
  assert.equal(await box.inputValue(), '');
}

test('a comment storm: hidden words, a folded storm, limiting who may comment, and the reactions digest', async () => {
  const { server } = glimpse;
  const mara = await createAccount(server, 'mara', { displayName: 'Mara' });
  const sam = await createAccount(server, 'sam');
  const quinn = await createAccount(server, 'quinn');
  const dana = await createAccount(server, 'dana');
  const lea = await createAccount(server, 'lea');
  const nico = await createAccount(server, 'nico');
  const fans = await Promise.all(['fan1', 'fan2', 'fan3', 'fan4', 'fan5'].map((name) => createAccount(server, name)));

  // Mara sets her hidden words in Settings.
  const author = await glimpse.desktop();
  await signIn(author.context, server, mara);
  const { page } = author;
  await page.goto('/settings');
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Hidden words' }).click();
  await page.waitForURL('**/settings/hidden-words');
  const words = page.getByLabel('Your hidden words');
  await words.fill('hypocrisy\ndisgust');
  await page.getByText('2/1,000').waitFor();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(/^Saved\./).waitFor();

  // She shares the party photo (over HTTP: composing has its own browser tests).
  const maraApi = await sessionOf(server, mara);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(fs.readFileSync(photo))], { type: 'image/jpeg' }), 'party.jpg');
  form.append('description', 'The party');
  let media = await maraApi('POST', '/api/v2/media', form);
  for (let tries = 0; media.url === null && tries < 240; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    media = await maraApi('GET', `/api/v1/media/${media.id}`);
  }
  const shared = await maraApi('POST', '/api/v1/statuses', { status: 'What a night 🎉', media_ids: [media.id] });
  const postPath = `/@mara/${shared.id}`;
  const postId = postPath.split('/').pop()!;

  // The flood: a question and the abuse written in the browser, the rest through the API.
  const questioner = await glimpse.phone();
  await signIn(questioner.context, server, quinn);
  await commentInBrowser(questioner.page, postPath, 'Mara….why is Ines there????');

  const abuser = await glimpse.phone();
  await signIn(abuser.context, server, sam);
  await commentInBrowser(abuser.page, postPath, 'Really Ines? The hypocrisy and disgust!');

  for (const fan of fans) {
    const as = await sessionOf(server, fan);
    await as('POST', '/api/v1/statuses', { status: 'Not Ines', in_reply_to_id: postId });
  }
  const defender = await sessionOf(server, dana);
  await defender('POST', '/api/v1/statuses', { status: 'it shows how important it is to have conversations with people with different opinions', in_reply_to_id: postId });

  // Someone else sees no abuse, one folded line for the storm, and the rest as comments.
  const reader = await glimpse.phone();
  await signIn(reader.context, server, lea);
  await reader.page.goto(postPath);
  const list = reader.page.getByRole('list', { name: 'Comments' });
  await list.getByText('it shows how important it is to have conversations with people with different opinions').waitFor();
  await list.getByText('Mara….why is Ines there????').waitFor();
  assert.equal(await reader.page.getByText(/hypocrisy/i).count(), 0);
  // Five accounts saying "Not Ines" are a storm: out of the conversation, in the one
  // collapsed "similar comments" section, and hostile, so not a headline until asked for.
  assert.equal(await list.getByText(/Not Ines/).count(), 0);
  const similar = reader.page.getByRole('region', { name: 'Similar comments' });
  await similar.getByRole('button', { name: '5 similar comments' }).click();
  const group = similar.locator('.comment-cluster');
  assert.equal(await group.count(), 1);
  assert.equal(await group.locator('.comment-cluster-text').innerText(), 'Hostile comments · 5 comments');
  await group.getByRole('button', { name: 'Show' }).click();
  assert.equal(await group.locator('.comment-cluster-text').innerText(), '“Not Ines” · 5 comments');
  await group.getByRole('button', { name: 'View all' }).click();
  const sample = reader.page.getByRole('list', { name: 'Comments like “Not Ines”' });
  await sample.getByText('Not Ines', { exact: true }).first().waitFor();
  assert.equal(await sample.getByRole('listitem').count(), 5);
  // A folded comment can still be liked.
  await sample.getByRole('button', { name: 'Like comment' }).first().click();
  await sample.getByRole('button', { name: 'Unlike comment' }).first().waitFor();
  await sample.getByText('1 like').first().waitFor();

  // The abuser still sees their own comment, as normal.
  await abuser.page.reload();
  await abuser.page.getByRole('list', { name: 'Comments' }).getByText('Really Ines? The hypocrisy and disgust!').waitFor();

  // Mara sees one hidden comment to review and limits comments to her followers.
  await page.goto(postPath);
  await page.getByRole('link', { name: 'Hidden comments (1)' }).waitFor();
  await page.getByLabel('Who can comment').selectOption({ label: 'Followers' });
  await page.getByText('Saved.', { exact: true }).waitFor();

  // Under the post in her feed: a link to all comments and the first ones, never the storm.
  await page.goto('/');
  const card = page.getByRole('article').first();
  await card.getByRole('link', { name: /^View all \d+ comments$/ }).waitFor();
  await card.locator('.comment-preview-item').first().waitFor();
  assert.equal(await card.getByText(/Not Ines/).count(), 0);
  await page.goto(postPath);

  // Nico does not follow her: no comment box any more.
  const stranger = await glimpse.phone();
  await signIn(stranger.context, server, nico);
  await stranger.page.goto(postPath);
  await stranger.page.getByText('Comments are limited on this post.').waitFor();
  assert.equal(await stranger.page.getByRole('textbox', { name: 'Add a comment…' }).count(), 0);
  await stranger.page.getByRole('list', { name: 'Comments' }).getByText('Mara….why is Ines there????').waitFor();

  // The reactions digest.
  await page.getByRole('link', { name: 'Reactions digest' }).click();
  await page.waitForURL(`**${postPath}/digest`);
  await page.getByRole('heading', { name: 'Reactions digest', level: 1 }).waitFor();
  const total = (label: string) => page.locator('.digest-total', { has: page.locator('dt', { hasText: label }) }).locator('dd');
  assert.equal(await total('Comments').innerText(), '8');
  assert.equal(await total('Hidden').innerText(), '1');
  const phrase = page.locator('.digest-phrase').first();
  assert.equal(await phrase.locator('.digest-phrase-text').innerText(), '“Not Ines”');
  assert.equal(await phrase.locator('.digest-phrase-count').innerText(), '5 comments');
  const chart = page.getByRole('img', { name: /Comments per hour by tone/ });
  await chart.waitFor();
  assert.ok((await chart.locator('g.tone-bucket rect').count()) >= 1);
  await page.getByRole('region', { name: 'Questions' }).getByText('Mara….why is Ines there????').waitFor();

  for (const p of [page, questioner.page, abuser.page, reader.page, stranger.page]) assert.deepEqual(errorsOf(p), [], p.url());
  stormPostPath = postPath;
});

test('a reported comment is hidden from everyone by the instance admin from the Reports page', async () => {
  const { server } = glimpse;
  assert.ok(stormPostPath, 'the storm test above shares the post');
  const postId = stormPostPath.split('/').pop()!;
  // Mara is the instance's first account, so its admin. Lea follows her (comments are limited).
  const troll = await createAccount(server, 'troll');
  const lea = { id: '', username: 'lea', email: 'lea@example.com', password: passwordFor('lea') };
  const trollApi = await sessionOf(server, troll);
  const leaApi = await sessionOf(server, lea);
  const maraAccount = (await (await fetch(`${server.url}/api/v1/accounts/lookup?acct=mara`)).json()) as { id: string };
  await trollApi('POST', `/api/v1/accounts/${maraAccount.id}/follow`);
  const bad = (await trollApi('POST', '/api/v1/statuses', { status: 'Reported line for the admin', in_reply_to_id: postId })) as { id: string; account: { id: string } };
  await leaApi('POST', '/api/v1/reports', { account_id: bad.account.id, status_ids: [bad.id], comment: 'Harassment', category: 'violation' });

  const admin = await glimpse.desktop();
  await signIn(admin.context, server, { id: maraAccount.id, username: 'mara', email: 'mara@example.com', password: passwordFor('mara') });
  await admin.page.goto('/');
  await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await admin.page.waitForURL('**/admin/reports');
  const card = admin.page.getByRole('list', { name: 'Open reports' }).getByRole('listitem', { name: '@troll reported by @lea' });
  await card.getByText('Reported line for the admin').waitFor();
  await card.getByText('Harassment').waitFor();
  await card.getByRole('button', { name: 'Hide the reported comments' }).click();
  await admin.page.getByText('No open reports').waitFor();

  const reader = await glimpse.phone();
  await signIn(reader.context, server, lea);
  await reader.page.goto(stormPostPath);
  await reader.page.getByRole('list', { name: 'Comments' }).getByText('Mara….why is Ines there????').waitFor();
  assert.equal(await reader.page.getByText('Reported line for the admin').count(), 0);
  for (const p of [admin.page, reader.page]) assert.deepEqual(errorsOf(p), [], p.url());
});
