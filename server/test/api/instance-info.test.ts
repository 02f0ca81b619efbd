import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorld, type World } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';
import { TEST_DB } from '../support/test-database.ts';
import { adminCommand } from '../support/admin-command.ts';
import { weekStart } from '../../src/domain/instance/instance-repository.ts';

let world: World;
let dir: string;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glimpse-instance-'));
  // On SQLite the world lives in a file, where the admin command (another process) finds it.
  world = await createWorld({ accounts: ['mara', 'ines'], databaseFile: TEST_DB === 'sqlite' ? path.join(dir, 'glimpse.sqlite') : undefined });
});
after(async () => {
  await world.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('instance endpoints without federation', () => {
  test('peers is an empty list, translation languages an empty object, languages English', async () => {
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/peers')).body, []);
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/translation_languages')).body, {});
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/languages')).body, [{ code: 'en', name: 'English' }]);
  });
});

describe('instance activity', () => {
  test('twelve weekly buckets from Monday, this week first, counting statuses, accounts that logged in and registrations', async () => {
    // The world was made this week (two registrations, two tokens). Three weeks later: a post,
    // a new account and a log-in of mara; the week before that, nothing.
    world.clock.advance(21 * 24 * 3600_000);
    await postPhotos(world, 'mara', 'three weeks on');
    await world.addActor('late_joiner'); // registers and is issued a token
    await world.app.services.auth.issue({ appId: null, accountId: world.actors.mara.id, scopes: ['read'], withRefresh: false });
    await world.app.services.auth.issue({ appId: null, accountId: world.actors.mara.id, scopes: ['read'], withRefresh: false });

    const res = await world.get(undefined, '/api/v1/instance/activity');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 12);
    const thisWeek = weekStart(world.clock.now()).getTime() / 1000;
    assert.deepEqual(res.body.map((w: { week: string }) => Number(w.week)), Array.from({ length: 12 }, (_, i) => thisWeek - i * 7 * 86400));
    assert.deepEqual(res.body[0], { week: String(thisWeek), statuses: '1', logins: '2', registrations: '1' });
    assert.deepEqual(res.body[3], { week: String(thisWeek - 3 * 7 * 86400), statuses: '0', logins: '2', registrations: '2' });
    assert.deepEqual(res.body[1], { week: String(thisWeek - 7 * 86400), statuses: '0', logins: '0', registrations: '0' });
  });
});

describe('instance texts set by the admin command line', () => {
  test('without texts: no rules, an empty description and privacy policy, and terms of service 404', async () => {
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/rules')).body, []);
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/extended_description')).body, { updated_at: null, content: '' });
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/privacy_policy')).body, { updated_at: null, content: '' });
    const terms = await world.get(undefined, '/api/v1/instance/terms_of_service');
    assert.equal(terms.status, 404);
    assert.deepEqual(terms.body, { error: 'Record not found' });
  });

  test('`admin instance set` stores rules (one per line), the description, the privacy policy and the terms, shown as escaped HTML', async () => {
    const set = (key: string, text: string) => adminCommand(world, dir, 'instance', 'set', key, text);
    for (const [key, text] of [
      ['rules', 'Be kind\n\n  No spam  \n'],
      ['extended_description', 'Photos <b>and</b> stories.\n\nSecond paragraph.'],
      ['privacy_policy', 'We keep little.'],
      ['terms_of_service', 'Play fair.'],
    ]) {
      const run = await set(key, text);
      assert.equal(run.code, 0, run.out);
    }
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/rules')).body, [{ id: '1', text: 'Be kind', hint: '' }, { id: '2', text: 'No spam', hint: '' }]);
    const description = (await world.get(undefined, '/api/v1/instance/extended_description')).body;
    assert.equal(description.content, '<p>Photos &lt;b&gt;and&lt;/b&gt; stories.</p><p>Second paragraph.</p>');
    assert.ok(description.updated_at);
    assert.equal((await world.get(undefined, '/api/v1/instance/privacy_policy')).body.content, '<p>We keep little.</p>');
    const terms = (await world.get(undefined, '/api/v1/instance/terms_of_service')).body;
    assert.equal(terms.content, '<p>Play fair.</p>');
    assert.match(terms.effective_date, /^\d{4}-\d{2}-\d{2}$/);
    // The instance entities carry the same rules.
    assert.deepEqual((await world.get(undefined, '/api/v2/instance')).body.rules.map((r: { text: string }) => r.text), ['Be kind', 'No spam']);
    assert.deepEqual((await world.get(undefined, '/api/v1/instance')).body.rules.map((r: { id: string }) => r.id), ['1', '2']);

    const show = await adminCommand(world, dir, 'instance', 'show', 'privacy_policy');
    assert.equal(show.out.trim(), 'We keep little.');
    const removed = await set('terms_of_service', '');
    assert.equal(removed.code, 0, removed.out);
    assert.equal((await world.get(undefined, '/api/v1/instance/terms_of_service')).status, 404);
  });

  test('an unknown key or a text over its bound is refused and nothing is stored', async () => {
    const unknown = await adminCommand(world, dir, 'instance', 'set', 'motto', 'hi');
    assert.equal(unknown.code, 2);
    const tooMany = await adminCommand(world, dir, 'instance', 'set', 'rules', Array.from({ length: 101 }, (_, i) => `rule ${i}`).join('\n'));
    assert.equal(tooMany.code, 1, tooMany.out);
    assert.match(tooMany.out, /too many lines/);
    assert.equal((await world.get(undefined, '/api/v1/instance/rules')).body.length, 2);
  });
});
