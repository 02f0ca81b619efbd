import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REQUIRED_NODE_MAJOR, unsupportedRuntimeMessage } from '../../src/runtime.ts';

test('an older Node gets one line naming the version needed and how the quick start provides it', () => {
  const message = unsupportedRuntimeMessage('20.20.2');
  assert.ok(message);
  assert.doesNotMatch(message, /\n/);
  assert.match(message, /Node\.js 24/);
  assert.match(message, /20\.20\.2/);
  assert.match(message, /npm ci && npm start/);
  assert.ok(unsupportedRuntimeMessage('22.12.0'));
});

test('Node 24 and later run, and the tests themselves run on Node 24', () => {
  assert.equal(unsupportedRuntimeMessage('24.0.0'), undefined);
  assert.equal(unsupportedRuntimeMessage('26.1.0'), undefined);
  assert.equal(unsupportedRuntimeMessage(), undefined, `this is Node ${process.version}`);
  assert.ok(Number(process.versions.node.split('.')[0]) >= REQUIRED_NODE_MAJOR);
});
