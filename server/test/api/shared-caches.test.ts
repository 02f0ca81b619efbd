import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { GlimpseApp } from '../../src/app.ts';
import { subscriptionsSettled, twoApps, type TwoApps } from '../support/two-apps.ts';
import { tokenWithScopes } from '../support/http.ts';
import { uploadPhoto } from '../support/photos.ts';

/**
 * The caches each process keeps (IP blocks, custom emojis, story trays) are dropped in every
 * process when one changes them, through Redis: a second app on the same prefix sees the change
 * without its cache running out (the shared clock does not move in these tests).
 */
const ADMIN = ['read', 'write', 'admin:read', 'admin:write'];

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  // The bound only turns a hang into a failure.
  const guard = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > guard) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const verifyFrom = (app: GlimpseApp, remoteAddress: string, token: string) =>
  app.http.inject({ method: 'GET', url: '/api/v1/accounts/verify_credentials', remoteAddress, headers: { authorization: `Bearer ${token}` } });

describe('two apps on one Redis prefix share their caches\' changes', () => {
  let apps: TwoApps;
  before(async () => {
    apps = await twoApps('caches', { accounts: ['mara', 'ines'] });
    // B listens on the caches channel before anything changes.
    await subscriptionsSettled(apps.b);
  });
  after(() => apps.close());

  test('an IP block made through A refuses that address on B at once, and its removal lets it back', async () => {
    const admin = await tokenWithScopes(apps.world, apps.world.actors.mara, ADMIN);
    const ines = apps.world.actors.ines.token;
    // B has loaded its blocks (none apply) before the change.
    assert.equal((await verifyFrom(apps.b, '192.0.2.9', ines)).statusCode, 200);
    const block = await apps.world.post(admin, '/api/v1/admin/ip_blocks', { ip: '192.0.2.0/24', severity: 'no_access' });
    assert.equal(block.status, 200);
    await eventually(async () => (await verifyFrom(apps.b, '192.0.2.9', ines)).statusCode === 403, 'B to refuse the blocked address');
    assert.equal((await verifyFrom(apps.b, '192.0.3.9', ines)).statusCode, 200, 'another address is not refused');
    assert.equal((await apps.world.request(admin, 'DELETE', `/api/v1/admin/ip_blocks/${block.body.id}`)).status, 200);
    await eventually(async () => (await verifyFrom(apps.b, '192.0.2.9', ines)).statusCode === 200, 'B to let the address back');
  });

  test("a story posted through A shows at once in the tray B keeps for a follower, and watching it through A marks it seen on B", async () => {
    const { mara, ines } = apps.world.actors;
    const trayOnB = async () => {
      const res = await apps.b.http.inject({ method: 'GET', url: '/api/glimpse/v1/stories/tray', headers: { authorization: `Bearer ${ines.token}` } });
      assert.equal(res.statusCode, 200);
      return (res.json() as Array<{ account: { id: string }; unseen_count: number }>).find((e) => e.account.id === mara.id);
    };
    assert.equal((await apps.world.post('ines', `/api/v1/accounts/${mara.id}/follow`)).status, 200);
    assert.equal(await trayOnB(), undefined);
    const hits = apps.b.services.caches.trays.stats().hits;
    assert.equal(await trayOnB(), undefined);
    assert.ok(apps.b.services.caches.trays.stats().hits > hits, 'B answered from its kept tray');
    const story = await apps.world.post('mara', '/api/glimpse/v1/stories', { media_id: await uploadPhoto(apps.world, 'mara'), overlays: [] });
    assert.equal(story.status, 200, JSON.stringify(story.body));
    await eventually(async () => (await trayOnB())?.unseen_count === 1, "B's tray to show the new story");
    assert.equal((await apps.world.post('ines', `/api/glimpse/v1/stories/${story.body.id}/seen`)).status, 200);
    await eventually(async () => (await trayOnB())?.unseen_count === 0, "B's tray to show it seen");
  });

  test('a custom emoji added in A is listed by B at once', async () => {
    const list = async () => ((await apps.b.http.inject({ method: 'GET', url: '/api/v1/custom_emojis' })).json() as Array<{ shortcode: string }>).map((e) => e.shortcode);
    assert.deepEqual(await list(), []);
    const file = path.join(apps.world.config.dataDir, 'wave.png');
    fs.writeFileSync(file, await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 20, g: 90, b: 200, alpha: 1 } } }).png().toBuffer());
    await apps.a.services.customEmojis.add('wave', file);
    await eventually(async () => (await list()).includes('wave'), 'B to list the new emoji');
  });
});
