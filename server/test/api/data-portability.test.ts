import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { multipartWithFile } from '../support/photos.ts';
import { checkCounters } from '../../src/domain/integrity/integrity-check.ts';

/**
 * Follows, blocks and mutes out and in as Mastodon's CSV files, through HTTP: the exact export
 * formats, imports worked by durable jobs (merge and overwrite), skipped rows reported, bounds.
 */

const G = '/api/glimpse/v1';

function importRequest(world: World, as: WorldName, csv: string | Buffer, fields: Array<[string, string]>) {
  const { body, contentType } = multipartWithFile('file', { data: Buffer.isBuffer(csv) ? csv : Buffer.from(csv), filename: 'accounts.csv', type: 'text/csv' }, fields);
  return world.request(as, 'POST', `${G}/imports`, body, { 'content-type': contentType });
}

/** Starts an import and waits for its jobs; answers its final status. */
async function runImport(world: World, as: WorldName, csv: string, type: string, mode = 'merge') {
  const started = await importRequest(world, as, csv, [['type', type], ['mode', mode]]);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await world.app.services.jobs.onIdle();
  const status = await world.get(as, `${G}/imports/${started.body.id}`);
  assert.equal(status.status, 200);
  assert.equal(status.body.state, 'finished', JSON.stringify(status.body));
  return status.body;
}

const idsOf = async (world: World, as: WorldName, path: string) => ((await world.get(as, path)).body as Array<{ username: string }>).map((a) => a.username).sort();

describe('exporting follows, blocks and mutes', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'rex', 'pat'] });
    await world.post('mara', `/api/v1/accounts/${world.actors.ines.id}/follow`);
    await world.post('mara', `/api/v1/accounts/${world.actors.sam.id}/follow`);
    await world.post('mara', `/api/v1/accounts/${world.actors.rex.id}/block`);
    await world.post('mara', `/api/v1/accounts/${world.actors.pat.id}/mute`, { notifications: false });
  });
  after(() => world.close());

  test("following.csv is Mastodon's following_accounts.csv", async () => {
    const res = await world.get('mara', `${G}/exports/following.csv`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.equal(res.headers['content-disposition'], 'attachment; filename="following_accounts.csv"');
    assert.equal(res.body, 'Account address,Show boosts,Notify on new posts,Languages\nines@glimpse.test,true,false,\nsam@glimpse.test,true,false,\n');
  });

  test("blocks.csv is Mastodon's blocked_accounts.csv (no header) and mutes.csv its muted_accounts.csv", async () => {
    const blocks = await world.get('mara', `${G}/exports/blocks.csv`);
    assert.equal(blocks.body, 'rex@glimpse.test\n');
    assert.equal(blocks.headers['content-disposition'], 'attachment; filename="blocked_accounts.csv"');
    const mutes = await world.get('mara', `${G}/exports/mutes.csv`);
    assert.equal(mutes.body, 'Account address,Hide notifications\npat@glimpse.test,false\n');
  });

  test('each export is the caller\'s own; anonymous callers get 401', async () => {
    assert.equal((await world.get('ines', `${G}/exports/following.csv`)).body, 'Account address,Show boosts,Notify on new posts,Languages\n');
    assert.equal((await world.get(undefined, `${G}/exports/blocks.csv`)).status, 401);
  });

  test('an export imports elsewhere as the same follows', async () => {
    const csv = (await world.get('mara', `${G}/exports/following.csv`)).body;
    const status = await runImport(world, 'pat', csv, 'following');
    assert.equal(status.imported_items, 2);
    assert.deepEqual(await idsOf(world, 'pat', `/api/v1/accounts/${world.actors.pat.id}/following`), ['ines', 'sam']);
  });
});

describe('importing follows, blocks and mutes', () => {
  let world: World;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'rex', 'pat', 'nora', 'bo'] });
  });
  after(() => world.close());

  test('merge: local accounts are followed (a locked one gets a request); remote, unknown and invalid rows are reported as skipped', async () => {
    const csv = [
      'Account address,Show boosts,Notify on new posts,Languages',
      'ines@glimpse.test,true,false,',
      '@sam,true,false,',
      'NORA,true,false,',
      'someone@mastodon.social,true,false,',
      'nobody@glimpse.test,true,false,',
      '"not, an address",true,false,',
      '',
    ].join('\r\n');
    const status = await runImport(world, 'mara', csv, 'following');
    assert.equal(status.type, 'following');
    assert.equal(status.mode, 'merge');
    assert.equal(status.total_items, 6);
    assert.equal(status.processed_items, 6);
    assert.equal(status.imported_items, 3);
    assert.deepEqual(status.skipped, [
      { address: 'someone@mastodon.social', reason: 'remote' },
      { address: 'nobody@glimpse.test', reason: 'unknown' },
      { address: 'not, an address', reason: 'invalid' },
    ]);
    assert.deepEqual(await idsOf(world, 'mara', `/api/v1/accounts/${world.actors.mara.id}/following`), ['ines', 'sam']);
    const requests = await idsOf(world, 'nora', '/api/v1/follow_requests');
    assert.deepEqual(requests, ['mara']);
    assert.deepEqual(await checkCounters(world.app.services.database.kysely), []);
  });

  test('overwrite: blocks not in the file are lifted, those in it added (a file without header)', async () => {
    await world.post('mara', `/api/v1/accounts/${world.actors.rex.id}/block`);
    await world.post('mara', `/api/v1/accounts/${world.actors.bo.id}/block`);
    const status = await runImport(world, 'mara', 'pat@glimpse.test\nbo\n', 'blocking', 'overwrite');
    assert.equal(status.imported_items, 2);
    assert.deepEqual(await idsOf(world, 'mara', '/api/v1/blocks'), ['bo', 'pat']);
  });

  test('mutes keep their "Hide notifications" column', async () => {
    await runImport(world, 'sam', 'Account address,Hide notifications\nrex,false\nbo@glimpse.test,true\n', 'muting');
    const rows = await world.db.handle.kysely.selectFrom('mutes as m').innerJoin('accounts as a', 'a.id', 'm.target_account_id').select(['a.username', 'm.hide_notifications']).where('m.account_id', '=', world.actors.sam.id).orderBy('a.username').execute();
    assert.deepEqual(rows.map((r) => [r.username, Number(r.hide_notifications)]), [['bo', 1], ['rex', 0]]);
  });

  test('a long file is worked 100 rows a job, every row counted once', async () => {
    const rows = [...Array.from({ length: 250 }, (_, i) => `ghost${i}`), 'rex'];
    const status = await runImport(world, 'bo', rows.join('\n'), 'following');
    assert.equal(status.processed_items, 251);
    assert.equal(status.imported_items, 1);
    assert.equal(status.skipped.length, 250);
    assert.ok(status.skipped.every((s: { reason: string }) => s.reason === 'unknown'));
  });

  test('an import is its owner\'s: anyone else gets 404, as for a missing one', async () => {
    const started = await importRequest(world, 'ines', 'sam\n', [['type', 'following']]);
    assert.equal(started.status, 202);
    assert.equal((await world.get('sam', `${G}/imports/${started.body.id}`)).status, 404);
    assert.equal((await world.get('sam', `${G}/imports/99999`)).status, 404);
    await world.app.services.jobs.onIdle();
  });

  test('bounds: the type is required, at most 1 MiB and 10,000 accounts, and a token without the scope is refused', async () => {
    assert.equal((await importRequest(world, 'mara', 'ines\n', [])).status, 422);
    assert.equal((await importRequest(world, 'mara', 'ines\n', [['type', 'lists']])).status, 422);
    assert.equal((await importRequest(world, 'mara', Buffer.alloc(1024 * 1024 + 1, 'a'), [['type', 'following']])).status, 413);
    const many = Array.from({ length: 10_001 }, (_, i) => `user${i}`).join('\n');
    const tooMany = await importRequest(world, 'mara', many, [['type', 'following']]);
    assert.equal(tooMany.status, 422);
    assert.match(tooMany.body.error, /10000/);
    assert.equal((await world.post('mara', `${G}/imports`, { type: 'following' })).status, 422);
    const issued = await world.app.services.auth.issue({ appId: null, accountId: world.actors.mara.id, scopes: ['read'], withRefresh: false });
    const reader = { id: world.actors.mara.id, username: 'mara', token: issued.access_token };
    const { body, contentType } = multipartWithFile('file', { data: Buffer.from('ines\n'), filename: 'a.csv', type: 'text/csv' }, [['type', 'blocking']]);
    assert.equal((await world.request(reader, 'POST', `${G}/imports`, body, { 'content-type': contentType })).status, 403);
  });
});
