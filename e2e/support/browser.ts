import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (there is no Playwright browser download here).
 * The flags keep it off the network and working as root in a container.
 */
export const CHROMIUM_PATH = process.env.GLIMPSE_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
};

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own cookies and storage) sized like a phone, with baseURL set. */
  phone(baseURL: string): Promise<BrowserContext>;
  /** A fresh context sized like a laptop screen, with baseURL set. */
  desktop(baseURL: string): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Uncaught errors in the page, kept per page so a test can assert the client did not crash
 * and a failure can show what the console said.
 */
const pageErrors = new WeakMap<Page, string[]>();

export function errorsOf(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

function watch(context: BrowserContext): void {
  context.on('page', (page) => {
    const errors: string[] = [];
    pageErrors.set(page, errors);
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
    });
    // Answers of 400 and up are reported by the URL they came from (a 401 from the session
    // check of a signed-out visitor is expected and left out).
    page.on('response', (response) => {
      const status = response.status();
      if (status >= 400 && !(status === 401 && response.url().endsWith('/api/glimpse/v1/session'))) {
        errors.push(`${status} ${response.request().method()} ${response.url()}`);
      }
    });
  });
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}; install it with: apt-get install -y chromium (or set GLIMPSE_CHROMIUM)`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  const open = async (options: BrowserContextOptions, baseURL: string) => {
    const context = await browser.newContext({ ...options, baseURL, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(60_000);
    watch(context);
    contexts.push(context);
    return context;
  };
  return {
    browser,
    phone: (baseURL) => open(PHONE, baseURL),
    desktop: (baseURL) => open(DESKTOP, baseURL),
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}
