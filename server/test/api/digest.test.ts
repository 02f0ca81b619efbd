import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type World, type WorldName } from '../support/world.ts';
import { postPhotos } from '../support/photos.ts';

const G = '/api/glimpse/v1';

describe('the reactions digest', () => {
  let world: World;
  let post: any;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam', 'pat', 'rex'] });
    await world.request('mara', 'PUT', `${G}/hidden_words`, { words: ['disgust'] });
    post = await postPhotos(world, 'mara', 'party');
    const say = (who: WorldName, text: string) => world.post(who, '/api/v1/statuses', { status: text, in_reply_to_id: post.id });
    await say('sam', 'Mara….why is Ines there????');
    await say('pat', 'Really Ines? The hypocrisy and disgust!');
    await say('ines', 'it shows how important it is to have conversations with people with different opinions');
    world.clock.advance(2 * 60 * 60 * 1000);
    for (const who of ['rex', 'sam', 'pat'] as const) await say(who, 'Not Ines');
    await say('rex', 'I love you both, beautiful friendship ❤️');
  });
  after(() => world.close());

  test('is for the post author only', async () => {
    assert.equal((await world.get('ines', `${G}/statuses/${post.id}/reactions_digest`)).status, 404);
    assert.equal((await world.get(undefined, `${G}/statuses/${post.id}/reactions_digest`)).status, 401);
  });

  test('counts every comment, hidden ones included, and how many are hidden', async () => {
    const d = (await world.get('mara', `${G}/statuses/${post.id}/reactions_digest`)).body;
    assert.equal(d.comments_total, 7);
    assert.equal(d.hidden_total, 1);
  });

  test('splits the tone, lists the repeated phrases and quotes each kind', async () => {
    const d = (await world.get('mara', `${G}/statuses/${post.id}/reactions_digest`)).body;
    assert.equal(d.tone.supportive + d.tone.critical + d.tone.question + d.tone.neutral, 7);
    assert.ok(d.tone.question >= 1);
    assert.ok(d.tone.supportive >= 2);
    assert.ok(d.tone.critical >= 1);
    assert.deepEqual(d.clusters[0], { text: 'Not Ines', count: 3 });
    assert.ok(d.representative.supportive.length >= 1);
    assert.ok(d.representative.question.some((s: any) => /why is Ines there/.test(s.content)));
    assert.ok(!d.representative.critical.some((s: any) => /disgust/.test(s.content)), 'hidden comments are not quoted');
  });

  test('gives counts over time in hourly buckets', async () => {
    const d = (await world.get('mara', `${G}/statuses/${post.id}/reactions_digest`)).body;
    assert.equal(d.over_time.length, 2);
    const sum = (b: any) => b.supportive + b.critical + b.question + b.neutral;
    assert.deepEqual(d.over_time.map(sum), [3, 4]);
    assert.ok(d.over_time[0].at < d.over_time[1].at);
  });
});
