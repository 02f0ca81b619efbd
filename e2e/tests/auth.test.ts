import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createAccount, passwordFor, useGlimpse } from '../support/glimpse.ts';

/** Sign up, log in and log out in Chromium against the real server. */
const glimpse = useGlimpse();

async function signUpWithForm(page: Page, username: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(passwordFor(username));
  await page.getByRole('checkbox', { name: 'I agree to the terms' }).check();
  await page.getByRole('button', { name: 'Sign up' }).click();
}

/** Signed in means the main navigation is there and the log-out button with it. */
async function expectSignedIn(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).waitFor();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

async function logInWithForm(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('two people sign up with the form (phone and desktop) and each lands signed in on their own profile link', async () => {
  const phone = await glimpse.phone();
  const desktop = await glimpse.desktop();

  await signUpWithForm(phone.page, 'ada');
  await expectSignedIn(phone.page);
  await signUpWithForm(desktop.page, 'bea');
  await expectSignedIn(desktop.page);

  for (const [page, username] of [[phone.page, 'ada'], [desktop.page, 'bea']] as const) {
    assert.equal(new URL(page.url()).pathname, '/', 'sign-up ends on the home page');
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.waitForURL(`**/@${username}`);
    await page.getByText(`@${username}`, { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Edit profile' }).waitFor();
  }

  // The session is a real cookie session: a reload keeps it.
  await phone.page.reload();
  await expectSignedIn(phone.page);
  await phone.context.close();
  await desktop.context.close();
});

test('sign-up without agreeing to the terms is refused on the form and creates no account', async () => {
  const { context, page } = await glimpse.phone();
  await page.goto('/signup');
  await page.getByLabel('Username', { exact: true }).fill('nodeal');
  await page.getByLabel('Email').fill('nodeal@example.com');
  await page.getByLabel('Password').fill(passwordFor('nodeal'));
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('alert').filter({ hasText: 'agree to the terms' }).waitFor();
  assert.equal(await page.getByRole('checkbox', { name: 'I agree to the terms' }).getAttribute('aria-invalid'), 'true');
  assert.equal(new URL(page.url()).pathname, '/signup');

  const lookup = await fetch(`${glimpse.server.url}/api/v1/accounts/lookup?acct=nodeal`);
  assert.equal(lookup.status, 404);
  await context.close();
});

test('a username that is taken is refused and the form says so next to the field', async () => {
  await createAccount(glimpse.server, 'taken');
  const { context, page } = await glimpse.desktop();
  await signUpWithForm(page, 'taken');
  await page.getByText('Username is already taken', { exact: true }).waitFor();
  assert.equal(await page.getByLabel('Username', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(new URL(page.url()).pathname, '/signup');
  await context.close();
});

test('logging out ends the session: signed-in pages send you to the log-in form, also after a reload', async () => {
  await createAccount(glimpse.server, 'leaver');
  const { context, page } = await glimpse.phone();
  await page.goto('/login');
  await logInWithForm(page, 'leaver', passwordFor('leaver'));
  await expectSignedIn(page);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  await page.getByRole('button', { name: 'Log in' }).waitFor();

  await page.goto('/notifications');
  await page.waitForURL('**/login');
  await page.reload();
  await page.getByLabel('Username or email').waitFor();
  const cookies = await context.cookies();
  const session = await context.request.get(`${glimpse.server.url}/api/glimpse/v1/session`);
  assert.equal(session.status(), 401, `session still valid; cookies: ${JSON.stringify(cookies.map((c) => c.name))}`);
  await context.close();
});

test('logging in with username or with email works and returns to the page that asked for it', async () => {
  const account = await createAccount(glimpse.server, 'returner');
  const { context, page } = await glimpse.desktop();

  await page.goto('/follow-requests');
  await page.waitForURL('**/login');
  await logInWithForm(page, account.username, account.password);
  await page.waitForURL('**/follow-requests');
  await page.getByRole('heading', { name: 'Follow requests', exact: true }).waitFor();

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  await logInWithForm(page, account.email.toUpperCase(), account.password);
  await expectSignedIn(page);
  await context.close();
});

test('a wrong password is refused with a message and leaves you signed out on the form', async () => {
  await createAccount(glimpse.server, 'careful');
  const { context, page } = await glimpse.phone();
  await page.goto('/login');
  await logInWithForm(page, 'careful', 'not-the-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.ok((await alert.innerText()).trim().length > 0, 'the alert has a message');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
  await context.close();
});
