import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld } from '../support/world.ts';

test('instance answers and a token sees its own account', async () => {
  const world = await createWorld();
  try {
    const instance = await world.get(undefined, '/api/v2/instance');
    assert.equal(instance.status, 200);
    const me = await world.get('mara', '/api/v1/accounts/verify_credentials');
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.username, 'mara');
  } finally {
    await world.close();
  }
});
