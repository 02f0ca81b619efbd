import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { tokenWithScopes } from '../support/http.ts';
import { postPhotos } from '../support/photos.ts';
import { subscriptionsSettled, twoApps, type TwoApps } from '../support/two-apps.ts';
import type { GlimpseApp } from '../../src/app.ts';

/**
 * The instance settings an admin changes in the web client (GET/PATCH
 * /api/glimpse/v1/admin/instance): stored in the database, the environment's values the
 * defaults. The instance endpoints, sign-up, the default hidden-words list and the comment and
 * story-response limits follow them at once.
 */
const URL = '/api/glimpse/v1/admin/instance';
const G = '/api/glimpse/v1';
const ADMIN = ['read', 'write', 'admin:read', 'admin:write'];
const NOT_ALLOWED = { error: 'This action is not allowed' };

const signUp = (world: World, username: string, extra: Record<string, unknown> = {}) =>
  world.post(undefined, `${G}/registrations`, { username, email: `${username}@example.test`, password: 'correct horse battery', agreement: true, ...extra });

async function staff(world: World) {
  // mara registered first: the admin. ines is made a moderator; sam stays a user.
  await world.app.services.repositories.accounts.updateUser(world.actors.ines.id, { role: 'moderator' });
  return {
    admin: await tokenWithScopes(world, world.actors.mara, ADMIN),
    moderator: await tokenWithScopes(world, world.actors.ines, ADMIN),
    user: await tokenWithScopes(world, world.actors.sam, ADMIN),
  };
}

describe('instance settings: each one changes what the instance endpoints say, and clearing it returns to the environment', () => {
  let world: World;
  let admin: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { instanceTitle: 'Env Title', instanceDescription: 'Env description.' } });
    ({ admin } = await staff(world));
  });
  after(() => world.close());

  const patch = (body: unknown) => world.request(admin, 'PATCH', URL, body);

  test('GET shows every setting at the environment value, marked as the environment\'s', async () => {
    const res = await world.get(admin, URL);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.title, { value: 'Env Title', default: 'Env Title', source: 'environment' });
    assert.deepEqual(res.body.description, { value: 'Env description.', default: 'Env description.', source: 'environment' });
    assert.deepEqual(res.body.rules, { value: [], default: [], source: 'environment' });
    assert.deepEqual(res.body.registrations, { value: 'open', default: 'open', source: 'environment' });
    assert.deepEqual(res.body.default_hidden_words, { value: false, default: false, source: 'environment' });
    assert.equal(res.body.limits.comments.source, 'environment');
    assert.equal(res.body.limits.comments.value, world.config.rateLimits.comments);
    assert.equal(res.body.rate_limits_enabled, false);
  });

  test('title and description: v1, v2 and nodeinfo show the stored ones at once; null returns to the environment\'s', async () => {
    const set = await patch({ title: 'Mara\'s Photos', description: 'Photos of friends.' });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.title, { value: 'Mara\'s Photos', default: 'Env Title', source: 'database' });
    assert.equal(set.body.description.source, 'database');
    const v1 = (await world.get(undefined, '/api/v1/instance')).body;
    const v2 = (await world.get(undefined, '/api/v2/instance')).body;
    assert.deepEqual([v1.title, v1.description, v1.short_description], ['Mara\'s Photos', 'Photos of friends.', 'Photos of friends.']);
    assert.deepEqual([v2.title, v2.description], ['Mara\'s Photos', 'Photos of friends.']);
    assert.equal((await world.get(undefined, '/nodeinfo/2.0')).body.metadata.nodeName, 'Mara\'s Photos');
    // Embeds name the site with it too.
    const post = await postPhotos(world, 'mara', 'embedded');
    const oembed = await world.get(undefined, `/api/oembed?url=${encodeURIComponent(`${world.config.publicUrl}/@mara/${post.id}`)}`);
    assert.equal(oembed.body.provider_name, 'Mara\'s Photos');

    const cleared = await patch({ title: null, description: null });
    assert.deepEqual(cleared.body.title, { value: 'Env Title', default: 'Env Title', source: 'environment' });
    assert.equal(cleared.body.description.source, 'environment');
    const after = (await world.get(undefined, '/api/v2/instance')).body;
    assert.deepEqual([after.title, after.description], ['Env Title', 'Env description.']);
    assert.equal((await world.get(undefined, `/api/oembed?url=${encodeURIComponent(`${world.config.publicUrl}/@mara/${post.id}`)}`)).body.provider_name, 'Env Title');
  });

  test('an empty description is a value of its own (stored), not a return to the default', async () => {
    const set = await patch({ description: '' });
    assert.deepEqual(set.body.description, { value: '', default: 'Env description.', source: 'database' });
    assert.equal((await world.get(undefined, '/api/v1/instance')).body.description, '');
    await patch({ description: null });
  });

  test('rules: the list is served numbered by /api/v1/instance/rules, v1 and v2 at once; an empty list or null removes them', async () => {
    const set = await patch({ rules: ['Be kind', '  No spam  '] });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.rules, { value: ['Be kind', 'No spam'], default: [], source: 'database' });
    const expected = [{ id: '1', text: 'Be kind', hint: '' }, { id: '2', text: 'No spam', hint: '' }];
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/rules')).body, expected);
    assert.deepEqual((await world.get(undefined, '/api/v1/instance')).body.rules, expected);
    assert.deepEqual((await world.get(undefined, '/api/v2/instance')).body.rules, expected);

    assert.deepEqual((await patch({ rules: [] })).body.rules, { value: [], default: [], source: 'environment' });
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/rules')).body, []);
    await patch({ rules: ['Only one'] });
    await patch({ rules: null });
    assert.deepEqual((await world.get(undefined, '/api/v1/instance/rules')).body, []);
  });

  test('a field left out of a change stays as it was', async () => {
    await patch({ title: 'Kept' });
    const res = await patch({ description: 'Another' });
    assert.equal(res.body.title.value, 'Kept');
    await patch({ title: null, description: null });
  });

  test('registrations closed: the instance says so and sign-up answers 403; approval: a reason is asked and the account waits; clearing opens them again', async () => {
    const closed = await patch({ registrations: 'closed' });
    assert.deepEqual(closed.body.registrations, { value: 'closed', default: 'open', source: 'database' });
    const v2 = (await world.get(undefined, '/api/v2/instance')).body;
    assert.deepEqual(v2.registrations, { enabled: false, approval_required: false, message: null, url: null });
    assert.equal((await world.get(undefined, '/api/v1/instance')).body.registrations, false);
    assert.equal((await world.get(undefined, '/nodeinfo/2.0')).body.openRegistrations, false);
    const refused = await signUp(world, 'latecomer');
    assert.equal(refused.status, 403);
    assert.equal(typeof refused.body.error, 'string');

    await patch({ registrations: 'approval' });
    const v2Approval = (await world.get(undefined, '/api/v2/instance')).body.registrations;
    assert.deepEqual([v2Approval.enabled, v2Approval.approval_required], [true, true]);
    assert.equal((await world.get(undefined, '/api/v1/instance')).body.approval_required, true);
    assert.equal((await signUp(world, 'hopeful')).status, 422, 'approval asks for a reason');
    const waiting = await signUp(world, 'hopeful', { reason: 'I take photos' });
    assert.deepEqual([waiting.status, waiting.body], [202, { pending_approval: true }]);

    const open = await patch({ registrations: null });
    assert.deepEqual(open.body.registrations, { value: 'open', default: 'open', source: 'environment' });
    assert.equal((await world.get(undefined, '/api/v2/instance')).body.registrations.enabled, true);
    const welcome = await signUp(world, 'newcomer');
    assert.equal(welcome.status, 200, JSON.stringify(welcome.body));
    assert.equal(welcome.body.account.username, 'newcomer', 'signed in at once, not waiting for approval');
  });
});

describe('instance settings: the default hidden-words list', () => {
  let world: World;
  let admin: Actor;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    ({ admin } = await staff(world));
  });
  after(() => world.close());

  const hiddenOn = async (postId: string) => (await world.get('mara', `${G}/statuses/${postId}/hidden_comments`)).body.map((s: any) => s.id);

  test('on: a new comment matching it on the post of an account that never chose is hidden, and that account\'s hidden words say the list is on', async () => {
    const post = await postPhotos(world, 'mara', 'the party');
    const before = await world.post('ines', '/api/v1/statuses', { status: 'fuck this', in_reply_to_id: post.id });
    assert.equal(before.status, 200);
    assert.deepEqual(await hiddenOn(post.id), [], 'off by default (the environment)');
    assert.equal((await world.get('mara', `${G}/hidden_words`)).body.use_default_list, false);

    const on = await world.request(admin, 'PATCH', URL, { default_hidden_words: true });
    assert.deepEqual(on.body.default_hidden_words, { value: true, default: false, source: 'database' });
    assert.equal((await world.get('mara', `${G}/hidden_words`)).body.use_default_list, true);
    const after = await world.post('sam', '/api/v1/statuses', { status: 'fuck this too', in_reply_to_id: post.id });
    assert.deepEqual(await hiddenOn(post.id), [after.body.id]);
  });

  test('an account that chose its own hidden words keeps its choice', async () => {
    await world.request('ines', 'PUT', `${G}/hidden_words`, { use_default_list: false, words: [] });
    const post = await postPhotos(world, 'ines', 'mine');
    const rude = await world.post('sam', '/api/v1/statuses', { status: 'fuck this', in_reply_to_id: post.id });
    const hidden = (await world.get('ines', `${G}/statuses/${post.id}/hidden_comments`)).body.map((s: any) => s.id);
    assert.equal(hidden.includes(rude.body.id), false);
    assert.equal((await world.get('ines', `${G}/hidden_words`)).body.use_default_list, false);
  });

  test('cleared: back to the environment\'s off, for comments written from then on', async () => {
    const cleared = await world.request(admin, 'PATCH', URL, { default_hidden_words: null });
    assert.deepEqual(cleared.body.default_hidden_words, { value: false, default: false, source: 'environment' });
    const post = await postPhotos(world, 'mara', 'later');
    await world.post('sam', '/api/v1/statuses', { status: 'fuck this', in_reply_to_id: post.id });
    assert.deepEqual(await hiddenOn(post.id), []);
  });
});

describe('instance settings: the comment and story-response limits', () => {
  let world: World;
  let admin: Actor;
  before(async () => {
    // Only the two per-account limits are on: 3 comments and 30 story responses a minute.
    const rateLimits = { login: 0, registration: 0, api: 0, anonymous: 0, comments: 3, storyResponses: 30, loginAccount: 0 };
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'], config: { rateLimitsEnabled: true, rateLimits } });
    ({ admin } = await staff(world));
  });
  after(() => world.close());

  test('a comment limit set by the admin applies at once; cleared, the environment\'s applies again', async () => {
    const post = await postPhotos(world, 'mara', 'comment on me');
    const comment = (text: string) => world.post('sam', '/api/v1/statuses', { status: text, in_reply_to_id: post.id });
    const set = await world.request(admin, 'PATCH', URL, { limits: { comments: 1 } });
    assert.deepEqual(set.body.limits.comments, { value: 1, default: 3, source: 'database' });
    assert.equal(set.body.rate_limits_enabled, true);
    assert.equal((await comment('one')).status, 200);
    const refused = await comment('two');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);

    world.clock.advance(60_000);
    const cleared = await world.request(admin, 'PATCH', URL, { limits: { comments: null } });
    assert.deepEqual(cleared.body.limits.comments, { value: 3, default: 3, source: 'environment' });
    for (const text of ['a', 'b', 'c']) assert.equal((await comment(text)).status, 200, text);
    assert.equal((await comment('d')).status, 429, 'the environment\'s 3 a minute');
  });

  test('0 turns the comment limit off', async () => {
    world.clock.advance(60_000);
    const post = await postPhotos(world, 'mara', 'unlimited');
    await world.request(admin, 'PATCH', URL, { limits: { comments: 0 } });
    for (let i = 0; i < 6; i++) assert.equal((await world.post('ines', '/api/v1/statuses', { status: `c${i}`, in_reply_to_id: post.id })).status, 200, `comment ${i}`);
    await world.request(admin, 'PATCH', URL, { limits: { comments: null } });
  });

  test('the story-response limit is stored and shown the same way', async () => {
    const set = await world.request(admin, 'PATCH', URL, { limits: { story_responses: 5 } });
    assert.deepEqual(set.body.limits.story_responses, { value: 5, default: 30, source: 'database' });
    assert.deepEqual(set.body.limits.comments.source, 'environment', 'the other limit is left alone');
  });
});

describe('instance settings: who may read and change them', () => {
  let world: World;
  let tokens: Awaited<ReturnType<typeof staff>>;
  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'sam'] });
    tokens = await staff(world);
  });
  after(() => world.close());

  test('a moderator and a user get 403 on reading and on changing, even with a bad body, and nothing changes', async () => {
    for (const who of [tokens.moderator, tokens.user]) {
      const read = await world.get(who, URL);
      assert.deepEqual([read.status, read.body], [403, NOT_ALLOWED]);
      for (const body of [{ title: 'Taken over' }, { title: 'x'.repeat(1000) }]) {
        const change = await world.request(who, 'PATCH', URL, body);
        assert.deepEqual([change.status, change.body], [403, NOT_ALLOWED]);
      }
    }
    assert.equal((await world.get(undefined, '/api/v1/instance')).body.title, 'Glimpse');
  });

  test('anonymous gets 401', async () => {
    assert.equal((await world.get(undefined, URL)).status, 401);
    assert.equal((await world.request(undefined, 'PATCH', URL, { title: 'x' })).status, 401);
  });

  test('the admin\'s token without admin scopes gets 403', async () => {
    assert.equal((await world.get('mara', URL)).status, 403);
    assert.equal((await world.request('mara', 'PATCH', URL, { title: 'x' })).status, 403);
  });

  test('invalid values answer 422 in the Mastodon shape and store nothing', async () => {
    const invalid: Array<[string, unknown]> = [
      ['a title over 100 characters', { title: 'x'.repeat(101) }],
      ['a blank title', { title: '   ' }],
      ['a description over 2,000 characters', { description: 'x'.repeat(2001) }],
      ['more than 100 rules', { rules: Array.from({ length: 101 }, (_, i) => `rule ${i}`) }],
      ['a rule over 1,000 characters', { rules: ['x'.repeat(1001)] }],
      ['a rule of two lines', { rules: ['one\ntwo'] }],
      ['a blank rule', { rules: ['ok', ' '] }],
      ['rules that are not a list', { rules: 'Be kind' }],
      ['an unknown registrations mode', { registrations: 'invite' }],
      ['a hidden-words switch that is not a boolean', { default_hidden_words: 'maybe' }],
      ['a negative limit', { limits: { comments: -1 } }],
      ['a limit above 10,000', { limits: { story_responses: 10_001 } }],
      ['a limit that is not a number', { limits: { comments: 'many' } }],
      ['a limit that cannot be set here', { limits: { login: 5 } }],
      ['an unknown setting', { theme: 'dark' }],
      ['a NUL character', { title: 'a\u0000b' }],
    ];
    for (const [what, body] of invalid) {
      const res = await world.request(tokens.admin, 'PATCH', URL, body);
      assert.equal(res.status, 422, what);
      assert.equal(typeof res.body.error, 'string', what);
      assert.match(res.body.error, /^Validation failed: /, what);
    }
    const view = (await world.get(tokens.admin, URL)).body;
    for (const key of ['title', 'description', 'rules', 'registrations', 'default_hidden_words'] as const) assert.equal(view[key].source, 'environment', key);
    assert.equal(view.limits.comments.source, 'environment');
  });

  test('the bounds themselves are accepted', async () => {
    const res = await world.request(tokens.admin, 'PATCH', URL, {
      title: 'x'.repeat(100),
      description: 'y'.repeat(2000),
      rules: Array.from({ length: 100 }, (_, i) => `${i}`.padEnd(1000, 'r')),
      limits: { comments: 10_000, story_responses: 0 },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 200));
    assert.equal((await world.get(undefined, '/api/v1/instance/rules')).body.length, 100);
    await world.request(tokens.admin, 'PATCH', URL, { title: null, description: null, rules: null, limits: { comments: null, story_responses: null } });
  });
});

describe('instance settings across two processes', () => {
  let apps: TwoApps;
  let admin: Actor;
  before(async () => {
    apps = await twoApps('instance-settings', { accounts: ['mara', 'ines', 'sam'] });
    await subscriptionsSettled(apps.b);
    admin = await tokenWithScopes(apps.world, apps.world.actors.mara, ADMIN);
  });
  after(() => apps.close());

  const getFrom = async (app: GlimpseApp, url: string) => (await app.http.inject({ method: 'GET', url })).json();

  test('a change made through A is what B\'s instance endpoints and sign-up answer at once', async () => {
    // B answers before the change, so anything it kept would be the old values.
    assert.equal((await getFrom(apps.b, '/api/v1/instance')).title, 'Glimpse');
    assert.deepEqual(await getFrom(apps.b, '/api/v1/instance/rules'), []);
    const set = await apps.world.request(admin, 'PATCH', URL, { title: 'Seen by B', rules: ['Be kind'], registrations: 'closed' });
    assert.equal(set.status, 200);
    const v1 = await getFrom(apps.b, '/api/v1/instance');
    const v2 = await getFrom(apps.b, '/api/v2/instance');
    assert.deepEqual([v1.title, v1.registrations, v2.title, v2.registrations.enabled], ['Seen by B', false, 'Seen by B', false]);
    assert.deepEqual(await getFrom(apps.b, '/api/v1/instance/rules'), [{ id: '1', text: 'Be kind', hint: '' }]);
    const refused = await apps.b.http.inject({
      method: 'POST',
      url: `${G}/registrations`,
      payload: { username: 'latecomer', email: 'latecomer@example.test', password: 'correct horse battery', agreement: true },
    });
    assert.equal(refused.statusCode, 403);

    await apps.world.request(admin, 'PATCH', URL, { title: null, rules: null, registrations: null });
    assert.equal((await getFrom(apps.b, '/api/v1/instance')).title, 'Glimpse');
    assert.equal((await getFrom(apps.b, '/api/v2/instance')).registrations.enabled, true);
  });

  test('B\'s copy for the per-comment checks is dropped when A changes a setting (through Redis)', async () => {
    // B reads its copy (the default list off), then A turns the list on.
    assert.equal((await apps.b.services.instanceSettings.cached()).default_hidden_words, false);
    await apps.world.request(admin, 'PATCH', URL, { default_hidden_words: true });
    const guard = Date.now() + 5000; // only turns a hang into a failure
    while (!(await apps.b.services.instanceSettings.cached()).default_hidden_words) {
      if (Date.now() > guard) throw new Error('B kept the old settings');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
