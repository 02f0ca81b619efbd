import { after, afterEach, before } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { errorsOf, launchBrowser, type TestBrowser } from './browser.ts';
import { startServer, type GlimpseServer } from './server.ts';

/**
 * One server and one browser per test file (started in `before`, stopped in `after`), and
 * helpers to set up accounts through the server's own HTTP API so a test's browser steps are
 * only the ones it is about.
 */
export interface Harness {
  readonly server: GlimpseServer;
  readonly browser: TestBrowser;
  /** A new phone-sized context with its first page. */
  phone(): Promise<{ context: BrowserContext; page: Page }>;
  /** A new desktop-sized context with its first page. */
  desktop(): Promise<{ context: BrowserContext; page: Page }>;
}

export function useGlimpse(): Harness {
  let server: GlimpseServer | undefined;
  let browser: TestBrowser | undefined;
  const pages: Page[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  // Uncaught errors in the client are reported with the test that caused them.
  afterEach(() => {
    const errors = pages.flatMap((page) => errorsOf(page).map((e) => `${page.url()}: ${e}`));
    pages.length = 0;
    if (errors.length) console.log(`browser console during this test:\n  ${errors.join('\n  ')}`);
  });

  const open = async (kind: 'phone' | 'desktop') => {
    const context = await browser![kind](server!.url);
    const page = await context.newPage();
    pages.push(page);
    return { context, page };
  };

  return {
    get server() {
      if (!server) throw new Error('the server is not started yet (use the harness inside tests)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet (use the harness inside tests)');
      return browser;
    },
    phone: () => open('phone'),
    desktop: () => open('desktop'),
  };
}

export interface TestAccount {
  id: string;
  username: string;
  email: string;
  password: string;
}

export const passwordFor = (username: string) => `${username}-long-password`;

/**
 * Registers an account through the web client's own sign-up endpoint (what the Sign up form
 * calls) and, when asked, makes it private through update_credentials with that session.
 */
export async function createAccount(server: GlimpseServer, username: string, options: { locked?: boolean; displayName?: string } = {}): Promise<TestAccount> {
  const email = `${username}@example.com`;
  const password = passwordFor(username);
  const response = await fetch(`${server.url}/api/glimpse/v1/registrations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, email, password, agreement: true }),
  });
  const body = (await response.json()) as { account: { id: string }; csrf_token: string };
  if (response.status !== 200) throw new Error(`registering ${username} answered ${response.status}: ${JSON.stringify(body)}`);
  if (options.locked || options.displayName) {
    const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const update = await fetch(`${server.url}/api/v1/accounts/update_credentials`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': body.csrf_token },
      body: JSON.stringify({ ...(options.locked ? { locked: true } : {}), ...(options.displayName ? { display_name: options.displayName } : {}) }),
    });
    if (update.status !== 200) throw new Error(`updating ${username} answered ${update.status}: ${await update.text()}`);
  }
  return { id: body.account.id, username, email, password };
}

/**
 * Signs a browser context in without the form (the login endpoint sets the session cookie in
 * the context's cookie jar); for tests whose subject is not logging in.
 */
export async function signIn(context: BrowserContext, server: GlimpseServer, account: TestAccount): Promise<void> {
  const response = await context.request.post(`${server.url}/api/glimpse/v1/session`, { data: { login: account.username, password: account.password } });
  if (response.status() !== 200) throw new Error(`signing in ${account.username} answered ${response.status()}: ${await response.text()}`);
}

/** A username unique within this server's run (test files share nothing, tests may). */
let counter = 0;
export function uniqueName(base: string): string {
  counter += 1;
  return `${base}${counter}`;
}
