import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GENERATOR_ID_NODE,
  ID_NODES,
  ID_SAFE_UNTIL_MS,
  IDS_PER_MS_PER_NODE,
  IdGenerator,
  LEASABLE_ID_NODES,
  UNLEASED_ID_NODE,
  idFrom,
  idParts,
  isId,
  newId,
} from '../../src/db/ids.ts';

const T = Date.UTC(2026, 10, 28, 10, 0, 0);
const byNumber = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

describe('ids: time-ordered, unique across processes by node', () => {
  test('ordering: ids sort by time as decimal strings and as numbers, old-layout ids included', () => {
    const g = new IdGenerator(7);
    const ids = [T, T, T + 1, T + 5, T + 5, T + 1000].map((at) => g.next(at));
    assert.deepEqual([...ids].sort(), ids, 'string order is issue order');
    assert.deepEqual([...ids].sort(byNumber), ids, 'numeric order is issue order');
    assert.ok(ids.every((id) => id.length === 16 && isId(id)), 'same 16 digits as before');
    // An id of the old layout (ms × 1000 + a sequence up to 999) sorts with the new ones by time.
    const old = String((T + 1) * 1000 + 999);
    assert.ok(ids[1] < old && old < ids[3]);
    assert.equal(idParts(ids[3]).ms, T + 5, 'id / 1000 is still the millisecond');
    assert.equal(idParts(ids[3]).node, 7);
  });

  test('uniqueness: 100k ids in one process are all different and strictly increasing', () => {
    const g = new IdGenerator(0);
    let last = '';
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      // Many ids in the same millisecond: the sequence runs out and the next millisecond is used.
      const id = g.next(T + Math.floor(i / 1000));
      assert.ok(id > last, `id ${i} increases`);
      last = id;
      seen.add(id);
    }
    assert.equal(seen.size, 100_000);
    // The module's own generator as the rest of the code calls it.
    const plain = new Set(Array.from({ length: 100_000 }, () => newId()));
    assert.equal(plain.size, 100_000);
  });

  test('two node numbers never collide, even asking for the very same milliseconds', () => {
    for (const [a, b] of [[0, 1], [0, LEASABLE_ID_NODES - 1], [1, GENERATOR_ID_NODE], [LEASABLE_ID_NODES - 1, UNLEASED_ID_NODE]]) {
      const ga = new IdGenerator(a);
      const gb = new IdGenerator(b);
      const fromA = new Set<string>();
      const fromB = new Set<string>();
      for (let i = 0; i < 5000; i++) {
        const at = T + Math.floor(i / 100);
        fromA.add(ga.next(at));
        fromB.add(gb.next(at));
      }
      assert.equal(fromA.size, 5000);
      assert.equal(fromB.size, 5000);
      assert.equal([...fromA].filter((id) => fromB.has(id)).length, 0, `nodes ${a} and ${b} share no id`);
      assert.ok([...fromA].every((id) => idParts(id).node === a) && [...fromB].every((id) => idParts(id).node === b));
    }
    // A process whose node changes (a lease moved) never repeats an id it issued before.
    const g = new IdGenerator(2);
    const before = Array.from({ length: 40 }, () => g.next(T));
    g.setNode(3);
    const during = Array.from({ length: 40 }, () => g.next(T));
    g.setNode(2);
    const after = Array.from({ length: 40 }, () => g.next(T));
    assert.equal(new Set([...before, ...during, ...after]).size, 120);
    assert.throws(() => g.setNode(ID_NODES), RangeError);
    assert.throws(() => g.setNode(-1), RangeError);
  });

  test('bound: every id of the next 200 years, at the highest node and sequence, stays below 2^53', () => {
    const in200Years = new Date(T);
    in200Years.setUTCFullYear(in200Years.getUTCFullYear() + 200);
    assert.ok(in200Years.getTime() < ID_SAFE_UNTIL_MS, `safe until ${new Date(ID_SAFE_UNTIL_MS).toISOString()}`);
    const highest = idFrom(in200Years.getTime(), ID_NODES - 1, IDS_PER_MS_PER_NODE - 1);
    assert.ok(Number(highest) < 2 ** 53 && Number.isSafeInteger(Number(highest)));
    assert.equal(String(Number(highest)), highest, 'a JavaScript number holds it exactly');
    const lastSafe = idFrom(ID_SAFE_UNTIL_MS, ID_NODES - 1, IDS_PER_MS_PER_NODE - 1);
    assert.ok(Number.isSafeInteger(Number(lastSafe)));
    assert.ok(!Number.isSafeInteger((ID_SAFE_UNTIL_MS + 1) * 1000 + (ID_NODES - 1) * IDS_PER_MS_PER_NODE + IDS_PER_MS_PER_NODE - 1), 'the bound is tight');
    assert.ok((ID_NODES - 1) * IDS_PER_MS_PER_NODE + IDS_PER_MS_PER_NODE - 1 < 1000, 'nodes × sequence fit in the 1000 values of a millisecond');
  });

  test('monotonic under a clock step back: no id is reused and order holds', () => {
    const g = new IdGenerator(4);
    const ahead = Array.from({ length: 50 }, () => g.next(T + 60_000));
    // The clock steps back a minute, then creeps forward again below where it was.
    const back = Array.from({ length: 50 }, (_, i) => g.next(T + i));
    const all = [...ahead, ...back];
    assert.equal(new Set(all).size, all.length);
    assert.deepEqual([...all].sort(), all, 'still increasing');
    assert.ok(idParts(back[0]).ms >= T + 60_000, 'the last millisecond used only moves forward');
  });
});
