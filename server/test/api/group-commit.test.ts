import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from '../../src/db/group-commit.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';

/** The group commit that new comments go through, on the test database (SQLite or PostgreSQL). */
describe('group commit', () => {
  let database: TestDatabase;
  before(async () => {
    database = await openTestDatabase();
  });
  after(() => database.dispose());

  const db = () => database.handle.kysely;
  const insert = (key: string) => (trx: Parameters<Parameters<GroupCommit['run']>[0]>[0]) => trx.insertInto('instance_settings').values({ key, value: 'v' }).execute();
  const keysLike = async (prefix: string) => (await db().selectFrom('instance_settings').select('key').where('key', 'like', `${prefix}%`).orderBy('key').execute()).map((r) => r.key);

  test('units arriving together commit in one transaction, and each answer comes after the commit', async () => {
    const group = new GroupCommit(db());
    const keys = Array.from({ length: 50 }, (_, i) => `together-${String(i).padStart(2, '0')}`);
    await Promise.all(
      keys.map((key) =>
        group.run(insert(key)).then(async () => {
          // Answered: already visible to any other reader (committed, not just written).
          const seen = await db().selectFrom('instance_settings').select('key').where('key', '=', key).executeTakeFirst();
          assert.equal(seen?.key, key);
        }),
      ),
    );
    assert.deepEqual(group.stats, { groups: 1, units: 50 });
    assert.deepEqual(await keysLike('together-'), keys);
  });

  test('a unit that fails is rolled back and rejected alone; the rest of its group is stored', async () => {
    const group = new GroupCommit(db());
    const results = await Promise.allSettled([
      group.run(insert('alone-a')),
      group.run(async (trx) => {
        await insert('alone-b')(trx);
        throw new Error('changed my mind');
      }),
      group.run(insert('alone-a')), // the same key again: a constraint error
      group.run(insert('alone-c')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    assert.equal((results[1] as PromiseRejectedResult).reason.message, 'changed my mind');
    assert.deepEqual(await keysLike('alone-'), ['alone-a', 'alone-c']);
    assert.deepEqual(group.stats, { groups: 1, units: 4 });
  });

  test('a group holds at most its maximum; the units beyond it form the next groups', async () => {
    const group = new GroupCommit(db(), 8);
    const first = Array.from({ length: 20 }, (_, i) => group.run(insert(`later-${String(i).padStart(2, '0')}`)));
    await Promise.all(first);
    assert.equal(group.stats.units, 20);
    assert.equal(group.stats.groups, 3, 'at most 8 a group');
    assert.equal((await keysLike('later-')).length, 20);
  });
});
