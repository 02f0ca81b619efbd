import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isOwnRecord, ownRecordSql } from '../../src/access/own-records-policy.ts';
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { newId } from '../../src/db/ids.ts';
import type { Viewer, ViewerContext } from '../../src/access/viewer-context.ts';
import { accountNotSuspendedSql, byUnsuspendedAccountSql, isHiddenBySuspension, isListedInDirectory, isSuspended, listedInDirectorySql } from '../../src/access/account-policy.ts';
import { authorPostsVisibleSql, canViewPost, homeFeedAuthorSql, isHomeFeedAuthor, isPubliclyListable, publiclyListableSql } from '../../src/access/post-policy.ts';
import { isMessage, isMessageReader, messageReaderSql, notMessageSql } from '../../src/access/message-policy.ts';
import { bulkTargetSql, isBulkTarget, isListedComment, listedCommentSql } from '../../src/access/comment-policy.ts';
import { expiredStorySql, isExpired, liveStorySql } from '../../src/access/story-policy.ts';
import type { StatusRow } from '../../src/domain/posts/post.ts';
import { createWorld, type Actor, type World } from '../support/world.ts';

/**
 * Every SQL form in server/src/access must select exactly the rows its predicate admits. The
 * fixture world gets posts of every visibility and comments (shown and hidden) by a public, a
 * locked and a suspended author, and stories live and expired; then, for every kind of viewer
 * (anonymous, the author, an approved follower, a pending requester, a stranger, a blocked
 * account, an admin), the SQL form runs in the database and the predicate over the same rows.
 */
describe('access rules: each SQL form selects exactly what its predicate admits', () => {
  let world: World;
  let db: Kysely<Database>;
  let suspended: Actor;
  const statusIds: string[] = [];
  const storyIds: string[] = [];
  let viewers: Array<{ name: string; viewer: Viewer | undefined }>;

  const status = (author: Actor, overrides: Partial<StatusRow>): StatusRow => {
    const id = newId(world.clock.now().getTime());
    statusIds.push(id);
    return {
      id, account_id: author.id, text: 'fixture', visibility: 'public', in_reply_to_id: null, in_reply_to_account_id: null, sensitive: 0, spoiler_text: '',
      language: null, hide_like_count: 0, comment_policy: 'everyone', has_media: 0, favourites_count: 0, replies_count: 0, created_at: world.clock.now().toISOString(),
      edited_at: null, post_id: null, thread_id: null, hidden_reason: null, approved: 0, fold_key: '', tone: null, pinned_at: null, rank_score: 0, conversation_id: null, story_id: null, content_version: 0, ...overrides,
    };
  };

  const story = async (author: Actor) => {
    const now = world.clock.now();
    const mediaId = newId(now.getTime());
    await db.insertInto('media').values({ id: mediaId, account_id: author.id, purpose: 'attachment', state: 'ready', error: null, storage_key: crypto.randomBytes(16).toString('hex'), description: '', focus_x: 0, focus_y: 0, width: 64, height: 48, blurhash: null, variants: '[]', captured_at: null, status_id: null, position: 0, created_at: now.toISOString() }).execute();
    const id = newId(now.getTime());
    storyIds.push(id);
    await world.app.services.repositories.stories.insert({ id, account_id: author.id, media_id: mediaId, duration_ms: 5000, audience: 'followers', overlays: '[]', reshare_of_id: null, viewers_count: 0, created_at: now.toISOString(), expires_at: new Date(now.getTime() + 24 * 3600_000).toISOString() }, []);
  };

  const contextOf = (viewer: Viewer | undefined, accountIds: string[]): Promise<ViewerContext> => world.app.services.repositories.relationships.loadViewerContext(viewer, accountIds);

  /** The world's statuses with their authors, as the predicates read them. */
  const statusesWithAuthors = () =>
    db
      .selectFrom('statuses')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select(['statuses.id', 'statuses.account_id', 'statuses.visibility', 'statuses.post_id', 'statuses.hidden_reason', 'accounts.locked', 'accounts.suspended_at'])
      .where('statuses.id', 'in', statusIds)
      .execute();

  const sorted = (ids: Iterable<string>) => [...ids].sort();

  before(async () => {
    world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam', 'pat', 'rex', 'bo'] });
    db = world.db.handle.kysely;
    suspended = await world.addActor('sus');
    const { ines, nora, sam, pat, bo, mara } = world.actors;
    // sam follows all three authors (nora approves); pat's request to nora stays pending;
    // every author blocks bo; mara is the instance's admin (the first account).
    for (const author of ['ines', 'nora'] as const) {
      await world.post('sam', `/api/v1/accounts/${world.actors[author].id}/follow`);
      await world.post(author, `/api/v1/accounts/${bo.id}/block`);
    }
    await world.post('nora', `/api/v1/follow_requests/${sam.id}/authorize`);
    await world.post('sam', `/api/v1/accounts/${suspended.id}/follow`);
    await world.post(suspended, `/api/v1/accounts/${bo.id}/block`);
    await world.post('pat', `/api/v1/accounts/${nora.id}/follow`);

    for (const author of [ines, nora, suspended]) {
      for (const visibility of ['public', 'unlisted', 'private', 'direct'] as const) {
        const post = status(author, { visibility });
        await world.app.services.repositories.posts.insert(post);
        for (const [commenter, hidden_reason] of [[sam, null], [pat, 'hidden_words'], [suspended, null], [author, 'moderator']] as const) {
          const comment = status(commenter, { visibility, post_id: post.id, in_reply_to_id: post.id, in_reply_to_account_id: author.id, hidden_reason });
          await world.app.services.repositories.posts.insert({ ...comment, thread_id: comment.id });
        }
      }
      await story(author);
    }
    world.clock.advance(25 * 3600_000);
    for (const author of [ines, nora, suspended]) await story(author);
    await world.app.services.repositories.accounts.update(suspended.id, { suspended_at: world.clock.now().toISOString() });

    const viewerOf = (actor: Actor, role: Viewer['role'] = 'user'): Viewer => ({ accountId: actor.id, role });
    viewers = [
      { name: 'anonymous', viewer: undefined },
      { name: 'an author', viewer: viewerOf(ines) },
      { name: 'a suspended author', viewer: viewerOf(suspended) },
      { name: 'an approved follower', viewer: viewerOf(sam) },
      { name: 'a pending requester', viewer: viewerOf(pat) },
      { name: 'a stranger', viewer: viewerOf(world.actors.rex) },
      { name: 'a blocked account', viewer: viewerOf(bo) },
      { name: 'an admin', viewer: viewerOf(mara, 'admin') },
    ];
  });
  after(() => world.close());

  test('publicly listable: publiclyListableSql selects exactly the posts isPubliclyListable admits', async () => {
    const rows = await statusesWithAuthors();
    const expected = rows.filter((r) => isPubliclyListable(r, { id: r.account_id, locked: r.locked, suspended_at: r.suspended_at })).map((r) => r.id);
    const selected = await db
      .selectFrom('statuses')
      .innerJoin('accounts', 'accounts.id', 'statuses.account_id')
      .select('statuses.id')
      .where('statuses.id', 'in', statusIds)
      .where(publiclyListableSql())
      .execute();
    assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected));
    assert.equal(expected.length, 1, 'only the public post of the public, unsuspended author is listable');
  });

  test('messages: notMessageSql selects exactly the statuses isMessage refuses (direct ones are never listed or counted)', async () => {
    const rows = await statusesWithAuthors();
    const selected = await db.selectFrom('statuses').select('id').where('id', 'in', statusIds).where(notMessageSql()).execute();
    const expected = rows.filter((r) => !isMessage(r)).map((r) => r.id);
    assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected));
    assert.ok(expected.length > 0 && expected.length < rows.length, 'some statuses are messages, not all');
  });

  test('message threads: messageReaderSql selects exactly the messages isMessageReader admits (sender and recipients), for every viewer', async () => {
    // Each direct post is delivered to sam and to bo (its mentions); the direct comments to nobody.
    const messages = (await statusesWithAuthors()).filter((r) => r.visibility === 'direct');
    const delivered = messages.filter((r) => r.post_id === null);
    await db.insertInto('mentions').values(delivered.flatMap((r) => [world.actors.sam, world.actors.bo].map((a) => ({ status_id: r.id, account_id: a.id })))).execute();
    try {
      for (const { name, viewer } of viewers) {
        const ctx = await contextOf(viewer, messages.map((r) => r.account_id));
        const selected = await db.selectFrom('statuses').select('id').where('id', 'in', messages.map((r) => r.id)).where(messageReaderSql(ctx)).execute();
        const isMentioned = (r: { id: string; post_id: string | null }) => viewer !== undefined && r.post_id === null && [world.actors.sam.id, world.actors.bo.id].includes(viewer.accountId);
        const expected = messages.filter((r) => isMessageReader(ctx, r, { isMentioned: isMentioned(r) }));
        assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected.map((r) => r.id)), name);
        if (viewer?.accountId === world.actors.sam.id) assert.ok(expected.length > 0 && expected.length < messages.length, 'a recipient reads the messages delivered to them, not all');
      }
    } finally {
      await db.deleteFrom('mentions').where('status_id', 'in', delivered.map((r) => r.id)).execute();
    }
  });

  test('cluster bulk actions: bulkTargetSql selects exactly the comments isBulkTarget admits (shown, not the actor\'s own), for every viewer', async () => {
    const rows = (await statusesWithAuthors()).filter((r) => r.post_id !== null);
    for (const { name, viewer } of viewers) {
      const ctx = await contextOf(viewer, rows.map((r) => r.account_id));
      const selected = await db.selectFrom('statuses').select('id').where('id', 'in', rows.map((r) => r.id)).where(bulkTargetSql(ctx)).execute();
      const expected = rows.filter((r) => isBulkTarget(ctx, r));
      assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected.map((r) => r.id)), name);
      assert.ok(expected.length > 0 && expected.length < rows.length, `${name}: some comments are targets, not all`);
    }
  });

  test('suspension: accountNotSuspendedSql and byUnsuspendedAccountSql agree with isHiddenBySuspension for every viewer', async () => {
    const accounts = await db.selectFrom('accounts').select(['id', 'suspended_at']).execute();
    const rows = await statusesWithAuthors();
    for (const { name, viewer } of viewers) {
      const ctx = await contextOf(viewer, accounts.map((a) => a.id));
      const viaJoin = await db.selectFrom('accounts').select('id').where(accountNotSuspendedSql(ctx)).execute();
      assert.deepEqual(sorted(viaJoin.map((r) => r.id)), sorted(accounts.filter((a) => !isHiddenBySuspension(ctx, a)).map((a) => a.id)), name);
    }
    // The id form is the same rule for every reader (counts and aggregates others see).
    const byId = await db.selectFrom('statuses').select('id').where('id', 'in', statusIds).where(byUnsuspendedAccountSql('statuses.account_id')).execute();
    assert.deepEqual(sorted(byId.map((r) => r.id)), sorted(rows.filter((r) => !isSuspended(r)).map((r) => r.id)));
  });

  test('comment lists: listedCommentSql selects exactly the comments isListedComment admits, for every viewer', async () => {
    const rows = (await statusesWithAuthors()).filter((r) => r.post_id !== null);
    for (const { name, viewer } of viewers) {
      const ctx = await contextOf(viewer, rows.map((r) => r.account_id));
      const selected = await db.selectFrom('statuses').select('id').where('id', 'in', rows.map((r) => r.id)).where(listedCommentSql(ctx)).execute();
      const expected = rows.filter((r) => isListedComment(ctx, r, { id: r.account_id, locked: r.locked, suspended_at: r.suspended_at }));
      assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected.map((r) => r.id)), name);
      assert.ok(expected.length > 0 && expected.length < rows.length, `${name}: some comments are listed, not all`);
    }
  });

  test('one author\'s posts: authorPostsVisibleSql selects exactly the posts canViewPost admits (direct posts never counted), for every viewer', async () => {
    const rows = (await statusesWithAuthors()).filter((r) => r.post_id === null && r.visibility !== 'direct');
    for (const author of [world.actors.ines, world.actors.nora, suspended]) {
      const own = rows.filter((r) => r.account_id === author.id);
      const facts = { id: author.id, locked: own[0].locked, suspended_at: own[0].suspended_at };
      for (const { name, viewer } of viewers) {
        const ctx = await contextOf(viewer, [author.id]);
        const selected = await db.selectFrom('statuses').select('id').where('id', 'in', own.map((r) => r.id)).where(authorPostsVisibleSql(ctx, facts)).execute();
        const expected = own.filter((r) => canViewPost(ctx, r, facts, { isMentioned: false }));
        assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected.map((r) => r.id)), `${name} reading ${author.username}`);
      }
    }
  });

  test('stories: liveStorySql selects exactly the stories that are not isExpired', async () => {
    const now = world.clock.now();
    const rows = await db.selectFrom('stories').select(['id', 'expires_at']).where('id', 'in', storyIds).execute();
    const selected = await db.selectFrom('stories').select('id').where('id', 'in', storyIds).where(liveStorySql(now)).execute();
    assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(rows.filter((r) => !isExpired(r, now)).map((r) => r.id)));
    assert.equal(selected.length, 3, 'the three stories posted after the clock moved are live');
  });

  test('stories: expiredStorySql selects exactly the stories that are isExpired', async () => {
    const now = world.clock.now();
    const rows = await db.selectFrom('stories').select(['id', 'expires_at']).where('id', 'in', storyIds).execute();
    const selected = await db.selectFrom('stories').select('id').where('id', 'in', storyIds).where(expiredStorySql(now)).execute();
    assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(rows.filter((r) => isExpired(r, now)).map((r) => r.id)));
    assert.ok(selected.length > 0, 'some stories have expired');
  });

  test('own records: ownRecordSql selects exactly the rows isOwnRecord admits, for every signed-in viewer', async () => {
    const rows = await db.selectFrom('stories').select(['id', 'account_id']).where('id', 'in', storyIds).execute();
    for (const { name, viewer } of viewers) {
      if (!viewer) continue;
      const selected = await db.selectFrom('stories as s').select('s.id').where('s.id', 'in', storyIds).where(ownRecordSql(viewer, 's')).execute();
      assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(rows.filter((r) => isOwnRecord(viewer, r)).map((r) => r.id)), name);
    }
    assert.ok(new Set(rows.map((r) => r.account_id)).size > 1, 'the stories have several owners');
  });

  test('profile directory: listedInDirectorySql selects exactly the accounts isListedInDirectory admits', async () => {
    await world.app.services.repositories.accounts.update(world.actors.rex.id, { discoverable: 0 });
    const accounts = await db.selectFrom('accounts').select(['id', 'discoverable', 'locked', 'suspended_at']).execute();
    const selected = await db.selectFrom('accounts').select('id').where(listedInDirectorySql()).execute();
    const expected = accounts.filter((a) => isListedInDirectory(a)).map((a) => a.id);
    assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected));
    for (const left of [world.actors.rex.id, world.actors.nora.id, suspended.id]) assert.ok(!expected.includes(left), 'undiscoverable, locked and suspended accounts are not listed');
  });

  test('home feed authors: homeFeedAuthorSql selects exactly the followed accounts isHomeFeedAuthor admits, for every viewer', async () => {
    const now = world.clock.now();
    const { ines, nora, sam, pat, bo, mara } = world.actors;
    const edge = (account: Actor, target: Actor) => ({ id: newId(now.getTime()), account_id: account.id, target_account_id: target.id, created_at: now.toISOString() });
    // sam (following ines, nora and the suspended author) mutes nora; a mute of ines by pat ran
    // out an hour ago; and follows rows across blocks (the API never leaves one) must not count.
    await db.insertInto('follows').values([edge(pat, ines), edge(bo, ines), edge(ines, bo), edge(sam, mara)]).execute();
    await db.insertInto('mutes').values([
      { ...edge(sam, nora), hide_notifications: 1, expires_at: null },
      { ...edge(pat, ines), hide_notifications: 1, expires_at: new Date(now.getTime() - 3600_000).toISOString() },
    ]).execute();
    const accounts = await db.selectFrom('accounts').select(['id', 'locked', 'suspended_at']).execute();
    let admitted = 0;
    for (const { name, viewer } of viewers) {
      const ctx = await contextOf(viewer, accounts.map((a) => a.id));
      const selected = await db
        .selectFrom('follows')
        .innerJoin('accounts', 'accounts.id', 'follows.target_account_id')
        .select('accounts.id')
        .where(homeFeedAuthorSql(ctx, now.toISOString()))
        .execute();
      const expected = accounts.filter((a) => isHomeFeedAuthor(ctx, a)).map((a) => a.id);
      assert.deepEqual(sorted(selected.map((r) => r.id)), sorted(expected), name);
      admitted += expected.length;
    }
    assert.ok(admitted > 0, 'some followed accounts are home feed authors');
  });
});
