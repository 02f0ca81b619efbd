import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createWorld, type World } from '../support/world.ts';
import { preparedQuery } from '../../src/db/prepared-query.ts';
import type { Db } from '../../src/db/database.ts';
import { countStatements } from '../support/query-count.ts';

interface AccountsArgs {
  ids: string[];
  minFollowers?: number;
  withLocked: boolean;
  limit: number;
}

/** A query with every kind of branch the shape covers: a list, an optional value, a boolean. */
const accountsQuery = (db: Db, { ids, minFollowers, withLocked, limit }: AccountsArgs) => {
  let q = db.selectFrom('accounts').select(['id', 'username']).where('id', 'in', ids);
  if (minFollowers !== undefined) q = q.where('followers_count', '>=', minFollowers);
  if (!withLocked) q = q.where('locked', '=', 0);
  return q.orderBy('username').limit(limit);
};

describe('prepared queries answer what the query builder answers, compiled once per shape', () => {
  let world: World;
  let db: Db;
  before(async () => {
    world = await createWorld();
    db = world.app.services.database.kysely;
  });
  after(() => world.close());

  test('the same rows as the built query, for other values of one shape and for other shapes', async () => {
    let builds = 0;
    const prepared = preparedQuery((d: Db, args: AccountsArgs) => (builds++, accountsQuery(d, args)));
    const { sam, mara, ines, pat, rex } = world.actors;
    const cases: AccountsArgs[] = [
      { ids: [sam.id, mara.id], withLocked: true, limit: 5 },
      { ids: [ines.id, pat.id], withLocked: true, limit: 1 }, // same shape, other values
      { ids: [sam.id, mara.id, ines.id], minFollowers: 0, withLocked: false, limit: 2 },
      { ids: [rex.id, pat.id, sam.id], minFollowers: 0, withLocked: false, limit: 3 }, // same shape again
      { ids: [rex.id], withLocked: false, limit: 10 },
    ];
    for (const args of cases) assert.deepEqual(await prepared.execute(db, args), await accountsQuery(db, args).execute(), JSON.stringify(args));
    assert.equal(builds, 3, 'three shapes, three builds');
    // One statement a run, as the plain query.
    const counted = await countStatements(world.app.services.database, () => prepared.execute(db, cases[1]));
    assert.equal(counted.statements, 1);
    assert.deepEqual(counted.result, await accountsQuery(db, cases[1]).execute());
  });

  test('runs inside a transaction and sees its uncommitted writes', async () => {
    const prepared = preparedQuery((d: Db, { id }: { id: string }) => d.selectFrom('accounts').select('note').where('id', '=', id));
    const id = world.actors.bo.id;
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('accounts').set({ note: 'inside' }).where('id', '=', id).execute();
        assert.deepEqual(await prepared.execute(trx, { id }), [{ note: 'inside' }]);
        throw new Error('roll back');
      })
      .catch((error: Error) => assert.equal(error.message, 'roll back'));
    assert.notEqual((await prepared.execute(db, { id }))[0].note, 'inside');
  });

  test('refuses a value written into the SQL or changed before it reaches the query', async () => {
    const inlined = preparedQuery((d: Db, { name }: { name: string }) => d.selectFrom('accounts').select('id').where('username', '=', sql.lit(name)));
    await assert.rejects(inlined.execute(db, { name: 'sam' }), /written into the SQL/);
    const changed = preparedQuery((d: Db, { name }: { name: string }) => d.selectFrom('accounts').select('id').where('username', 'like', `${name}%`));
    await assert.rejects(changed.execute(db, { name: 'sa' }), /changed before it reached the query/);
    const set = preparedQuery((d: Db, { ids }: { ids: Set<string> }) => d.selectFrom('accounts').select('id').where('id', 'in', [...ids]));
    await assert.rejects(set.execute(db, { ids: new Set(['1']) }), /cannot take/);
  });
});
