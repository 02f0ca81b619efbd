import type { Locator } from 'playwright-core';

/** Waits until the control is enabled (a button the page turns on once an upload is processed); a hang guard, not an assertion. */
export async function waitUntilEnabled(control: Locator, timeout = 30_000): Promise<void> {
  await control.waitFor({ timeout });
  const element = await control.elementHandle();
  await control.page().waitForFunction((el) => el !== null && !(el as HTMLButtonElement).disabled, element, { timeout });
}
