/**
 * The benchmark's data generator: a deterministic (seeded) social graph with one celebrity,
 * written straight into the server's tables in bulk transactions (never through HTTP).
 *
 *   node --import tsx bench/src/generate.ts --size smoke --db sqlite [--dir DIR] [--seed S]
 *
 * What it makes, for a size of BENCHMARK.md:
 * - accounts (with their users row; one shared password hash) — account 0 is the celebrity,
 *   followed by everyone; account 1 is the "1k" comparison account with exactly midFollowers;
 * - follow edges: out-degrees from a Pareto tail (at most 2,000 per account), targets drawn
 *   by a Zipf-like popularity, ordinary accounts capped at the fan-out threshold so only the
 *   celebrity is pulled at read time;
 * - top-level photo posts (each with one ready media row), authors drawn by a skewed activity;
 * - counters (followers_count, following_count, statuses_count) computed from the rows;
 * - home_feed rows as the server's fan-out job would have written them: every post of an
 *   author at or below the threshold in each follower's feed (one INSERT … SELECT per range of
 *   followers, the statement FeedRepository.pushToFollowers runs per post);
 * - access tokens with known plaintexts for a sample of accounts, stored as SHA-256 hashes;
 * - active stories: a power-law sample of authors (the celebrity among them) with a few live
 *   stories each, one ready media row per story, created in the 20 hours before generation
 *   and expiring 24 hours after their creation; mostly for followers, some for close friends
 *   (with close_friends rows for a few of the author's followers); story_views by followers;
 * - a manifest (DIR/manifest.json) the load generator reads.
 * Posts fill the comment columns of statuses as the server writes a post (post_id and
 * thread_id null, fold_key '', rank_score 0, approved 0). Stories expire: a data set older
 * than about 4 hours has fewer live stories than it says (run.ts regenerates instead of reusing).
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { hashPassword, hashToken } from '../../server/src/domain/auth/secrets.ts';
import { GENERATOR_ID_NODE, idFrom } from '../../server/src/db/ids.ts';
import { AliasSampler, Prng, paretoCounts, zipfWeights } from './prng.ts';
import { type SizeSpec, sizeFor } from './sizes.ts';
import { type BulkWriter, type ColumnType, type DbKind, type DbTarget, freshTarget, openBulk, openHandle } from './db.ts';

export interface TokenHolder {
  index: number;
  id: string;
  username: string;
  token: string;
}

export interface Manifest {
  size: string;
  db: DbKind;
  seed: string;
  fanoutThreshold: number;
  generatedAt: string;
  generateSeconds: number;
  counts: {
    accounts: number;
    users: number;
    follows: number;
    posts: number;
    media: number;
    homeFeed: number;
    tokens: number;
    stories: number;
    storyAuthors: number;
    storyViews: number;
    closeFriends: number;
  };
  celebrity: { id: string; username: string; followers: number; posts: number; stories: number };
  mid: { id: string; username: string; followers: number; posts: number };
  /** Accounts with a token, the celebrity and the mid account first. */
  tokens: TokenHolder[];
  /** Indexes into `tokens` of holders who follow the mid account. */
  midFollowerTokens: number[];
  /** Highest following_count and followers_count among ordinary accounts (checks the caps). */
  maxFollowing: number;
  maxOrdinaryFollowers: number;
}

export interface GenerateOptions {
  size: SizeSpec;
  target: DbTarget;
  seed?: string;
  /** Defaults to the size's threshold; the server must be started with the same value. */
  fanoutThreshold?: number;
  log?: (line: string) => void;
}

const DAY = 86_400_000;
// Fixed instants in the past, so generated ids always sort below ids the server makes now.
const ACCOUNTS_FROM = Date.UTC(2021, 0, 1);
const FOLLOWS_FROM = Date.UTC(2022, 0, 1);
const POSTS_FROM = Date.UTC(2023, 0, 1);
const POSTS_SPAN = 600 * DAY;
const TOKENS_AT = Date.UTC(2024, 11, 1);
export const BENCH_PASSWORD = 'bench-password';
const MAX_FOLLOWING = 2000;

const WORDS = ['golden', 'hour', 'coffee', 'city', 'walk', 'sea', 'light', 'friends', 'weekend', 'garden', 'mountain', 'snow', 'market', 'bread', 'street', 'sunset', 'morning', 'dog', 'cat', 'train', 'river', 'bridge', 'rain', 'window', 'book'];

const VARIANTS = JSON.stringify([
  { name: 'w1080', format: 'webp', width: 1080, height: 1350 },
  { name: 'w1080', format: 'jpeg', width: 1080, height: 1350 },
  { name: 'w640', format: 'webp', width: 640, height: 800 },
  { name: 'w640', format: 'jpeg', width: 640, height: 800 },
  { name: 'w320', format: 'webp', width: 320, height: 400 },
  { name: 'w320', format: 'jpeg', width: 320, height: 400 },
  { name: 'preview', format: 'webp', width: 64, height: 80 },
  { name: 'preview', format: 'jpeg', width: 64, height: 80 },
]);
const BLURHASH = 'LEHV6nWB2yk8pyo0adR*.7kCMdnj';

const iso = (ms: number) => new Date(ms).toISOString();
// Written under the generator's own id node, so they never collide with a running server's.
const idAt = (ms: number, seq = 0) => idFrom(ms, GENERATOR_ID_NODE, seq);

export function usernameOf(index: number): string {
  return index === 0 ? 'celebrity' : index === 1 ? 'midfame' : `user${index}`;
}

export function tokenFor(seed: string, index: number): string {
  return crypto.createHash('sha256').update(`bench-token:${seed}:${index}`).digest('base64url');
}

/** The follow graph and posts, in memory (typed arrays), before anything is written. */
interface Graph {
  accountIds: string[];
  edgeSrc: Int32Array;
  edgeDst: Int32Array;
  followers: Int32Array;
  following: Int32Array;
  postAuthor: Int32Array;
  postsBy: Int32Array;
  midFollowers: Int32Array;
}

function buildGraph(size: SizeSpec, seed: string, threshold: number, log: (s: string) => void): Graph {
  const n = size.accounts;
  if (n < 10) throw new Error('at least 10 accounts');
  const rng = new Prng(seed);
  const accountStep = Math.max(1, Math.floor((365 * DAY) / n));
  const accountIds = Array.from({ length: n }, (_, i) => idAt(ACCOUNTS_FROM + i * accountStep));

  // Forced edges: everyone else follows the celebrity; exactly midFollowers follow account 1.
  const midCount = Math.min(size.midFollowers, n - 2);
  const midRng = rng.fork('mid');
  const candidates = midRng.permutation(n - 2);
  const midFollowers = Int32Array.from(candidates.subarray(0, midCount), (i) => i + 2).sort();
  const followsMid = new Uint8Array(n);
  for (const u of midFollowers) followsMid[u] = 1;

  const ordinaryEdges = size.edges - (n - 1) - midCount;
  if (ordinaryEdges < n) throw new Error(`size ${size.name}: too few edges for ${n} accounts`);
  // Sampling k distinct targets by rejection stays cheap while k is well below n.
  const capOut = Math.min(MAX_FOLLOWING - 2, Math.floor(n / 4));
  const quota = paretoCounts(n, ordinaryEdges, 1.3, 1, capOut, rng.fork('out'));
  const capIn = threshold; // ordinary accounts stay at or below the threshold: pushed, not pulled

  const weights = zipfWeights(n, 0.6, rng.fork('popularity'));
  weights[0] = 0;
  weights[1] = 0;
  const popularity = new AliasSampler(weights);

  const edgeSrc = new Int32Array(size.edges);
  const edgeDst = new Int32Array(size.edges);
  const followers = new Int32Array(n);
  const following = new Int32Array(n);
  let e = 0;
  const pickRng = rng.fork('targets');
  const chosen = new Set<number>();
  const started = Date.now();
  for (let u = 0; u < n; u++) {
    chosen.clear();
    if (u !== 0) chosen.add(0);
    if (followsMid[u]) chosen.add(1);
    const want = chosen.size + quota[u];
    let attempts = 0;
    while (chosen.size < want && attempts < 30 * quota[u] + 100) {
      attempts++;
      const t = popularity.sample(pickRng);
      if (t === u || chosen.has(t) || followers[t] >= capIn) continue;
      chosen.add(t);
      followers[t] += 1; // reserved now so the cap holds within this account's draws
    }
    if (chosen.size < want) {
      // Rare: the popular targets are full. Take eligible accounts from a random point.
      const start = pickRng.int(n);
      for (let k = 0; k < n && chosen.size < want; k++) {
        const t = (start + k) % n;
        if (t < 2 || t === u || chosen.has(t) || followers[t] >= capIn) continue;
        chosen.add(t);
        followers[t] += 1;
      }
    }
    const targets = [...chosen].sort((a, b) => a - b);
    for (const t of targets) {
      if (t === 0 || (t === 1 && followsMid[u])) followers[t] += 1;
      edgeSrc[e] = u;
      edgeDst[e] = t;
      e++;
    }
    following[u] = targets.length;
    if (u % 20000 === 0 && u > 0) log(`  graph: ${u.toLocaleString('en')} of ${n.toLocaleString('en')} accounts, ${e.toLocaleString('en')} edges`);
  }
  if (e !== size.edges) log(`  graph: ${e} edges (asked ${size.edges}; the caps left ${size.edges - e} out)`);
  log(`  graph built in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Posts: the celebrity's fixed share, the rest by a skewed activity independent of popularity.
  const postRng = rng.fork('posts');
  const activity = zipfWeights(n, 0.7, rng.fork('activity'));
  activity[0] = 0;
  const authors = new AliasSampler(activity);
  const postAuthor = new Int32Array(size.posts);
  const postsBy = new Int32Array(n);
  const celebritySlots = new Set<number>();
  const celebrityPosts = Math.min(size.celebrityPosts, size.posts);
  while (celebritySlots.size < celebrityPosts) celebritySlots.add(postRng.int(size.posts));
  for (let i = 0; i < size.posts; i++) {
    const a = celebritySlots.has(i) ? 0 : authors.sample(postRng);
    postAuthor[i] = a;
    postsBy[a] += 1;
  }
  return { accountIds, edgeSrc: edgeSrc.subarray(0, e), edgeDst: edgeDst.subarray(0, e), followers, following, postAuthor, postsBy, midFollowers };
}

/** Live stories, in memory: by creation time, with their viewers and the close-friend lists. */
interface Stories {
  author: Int32Array;
  createdMs: Float64Array;
  closeFriendsOnly: Uint8Array;
  viewers: Int32Array[];
  viewedMs: Float64Array[];
  closeFriends: Array<[number, number]>;
  authors: number;
  celebrityStories: number;
}

const STORY_WINDOW = 20 * 3_600_000; // created in the 20 hours before generation
const CELEBRITY_STORIES = 3;

export function buildStories(size: SizeSpec, g: Pick<Graph, 'edgeSrc' | 'edgeDst' | 'followers'>, seed: string, nowMs: number): Stories {
  const n = g.followers.length;
  const total = size.stories;
  const rng = new Prng(`${seed}:stories`);
  // Followers of each account (CSR), to draw audiences and viewers from.
  const start = new Int32Array(n + 1);
  for (let e = 0; e < g.edgeDst.length; e++) start[g.edgeDst[e] + 1] += 1;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const followerList = new Int32Array(g.edgeDst.length);
  for (let e = 0; e < g.edgeDst.length; e++) followerList[fill[g.edgeDst[e]]++] = g.edgeSrc[e];
  const followerOf = (a: number, k: number) => followerList[start[a] + k];

  // Authors: the celebrity, then a Zipf-like (power-law) sample, a few stories each (1–5).
  const weights = zipfWeights(n, 0.8, rng.fork('story-authors'));
  weights[0] = 0;
  const sampler = new AliasSampler(weights);
  const perAuthor: Array<[number, number]> = [[0, Math.min(CELEBRITY_STORIES, total)]];
  const picked = new Set<number>([0]);
  let planned = perAuthor[0][1];
  let attempts = 0;
  while (planned < total && attempts++ < 100 * total) {
    const a = sampler.sample(rng);
    if (picked.has(a)) continue;
    picked.add(a);
    const u = rng.next();
    const k = Math.min(total - planned, 1 + Math.floor(u * u * 5));
    perAuthor.push([a, k]);
    planned += k;
  }
  const slots: number[] = [];
  for (const [a, k] of perAuthor) for (let j = 0; j < k; j++) slots.push(a);
  // Shuffle, then give slot i the i-th creation instant (distinct milliseconds).
  const order = rng.permutation(slots.length);
  const count = slots.length;
  const step = Math.max(1, Math.floor(STORY_WINDOW / Math.max(count, 1)));
  const author = new Int32Array(count);
  const createdMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    author[i] = slots[order[i]];
    createdMs[i] = nowMs - 60_000 - (count - 1 - i) * step;
  }

  // Close friends: a fifth of the authors (never the celebrity) keep a list of up to 8 of their
  // followers and post about one story in three to it.
  const friendsOf = new Map<number, number[]>();
  const closeFriends: Array<[number, number]> = [];
  for (const [a] of perAuthor) {
    const fc = start[a + 1] - start[a];
    if (a === 0 || fc === 0 || rng.next() >= 0.2) continue;
    const want = Math.min(fc, 2 + rng.int(7));
    const chosen = new Set<number>();
    while (chosen.size < want) chosen.add(followerOf(a, rng.int(fc)));
    const list = [...chosen].sort((x, y) => x - y);
    friendsOf.set(a, list);
    for (const f of list) closeFriends.push([a, f]);
  }
  const closeFriendsOnly = new Uint8Array(count);
  const viewers: Int32Array[] = [];
  const viewedMs: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const a = author[i];
    const friends = friendsOf.get(a);
    if (friends && rng.next() < 0.35) closeFriendsOnly[i] = 1;
    // Viewers: some of the audience (the celebrity's stories get up to 2,000).
    const pool = closeFriendsOnly[i] ? friends!.length : start[a + 1] - start[a];
    const want = Math.min(pool, a === 0 ? 500 + rng.int(1500) : rng.int(Math.min(30, pool + 1)));
    const chosen = new Set<number>();
    while (chosen.size < want) chosen.add(closeFriendsOnly[i] ? friends![rng.int(pool)] : followerOf(a, rng.int(pool)));
    const v = Int32Array.from(chosen).sort();
    const at = new Float64Array(v.length);
    const span = Math.max(1, nowMs - createdMs[i]);
    for (let k = 0; k < v.length; k++) at[k] = createdMs[i] + 1 + rng.int(span - 1 || 1);
    viewers.push(v);
    viewedMs.push(at);
  }
  return { author, createdMs, closeFriendsOnly, viewers, viewedMs, closeFriends, authors: perAuthor.length, celebrityStories: perAuthor[0][1] };
}

const ACCOUNT_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['id', 'text'], ['username', 'text'], ['username_lower', 'text'], ['display_name', 'text'], ['note', 'text'],
  ['locked', 'int'], ['discoverable', 'int'], ['followers_count', 'int'], ['following_count', 'int'], ['statuses_count', 'int'],
  ['created_at', 'text'], ['updated_at', 'text'],
];
const USER_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['account_id', 'text'], ['email', 'text'], ['email_lower', 'text'], ['password_hash', 'text'], ['role', 'text'],
  ['approved', 'int'], ['disabled', 'int'], ['registration_reason', 'text'], ['created_at', 'text'], ['password_changed_at', 'text'],
  ['email_confirmed_at', 'text'],
];
const FOLLOW_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [['id', 'text'], ['account_id', 'text'], ['target_account_id', 'text'], ['created_at', 'text']];
const STATUS_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['id', 'text'], ['account_id', 'text'], ['text', 'text'], ['visibility', 'text'], ['sensitive', 'int'], ['spoiler_text', 'text'],
  ['language', 'text'], ['hide_like_count', 'int'], ['comment_policy', 'text'], ['has_media', 'int'], ['favourites_count', 'int'],
  ['replies_count', 'int'], ['created_at', 'text'],
  // The comment columns (migration 0004), as PostService writes a post.
  ['post_id', 'text'], ['thread_id', 'text'], ['hidden_reason', 'text'], ['approved', 'int'], ['fold_key', 'text'], ['tone', 'text'],
  ['pinned_at', 'text'], ['rank_score', 'int'],
];
const MEDIA_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['id', 'text'], ['account_id', 'text'], ['purpose', 'text'], ['state', 'text'], ['storage_key', 'text'], ['description', 'text'],
  ['focus_x', 'real'], ['focus_y', 'real'], ['width', 'int'], ['height', 'int'], ['blurhash', 'text'], ['variants', 'text'],
  ['status_id', 'text'], ['position', 'int'], ['created_at', 'text'],
];
const STORY_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['id', 'text'], ['account_id', 'text'], ['media_id', 'text'], ['duration_ms', 'int'], ['audience', 'text'], ['overlays', 'text'],
  ['reshare_of_id', 'text'], ['viewers_count', 'int'], ['created_at', 'text'], ['expires_at', 'text'],
];
const STORY_VIEW_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [['story_id', 'text'], ['account_id', 'text'], ['viewed_at', 'text']];
const CLOSE_FRIEND_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [['account_id', 'text'], ['friend_id', 'text'], ['created_at', 'text']];
const TOKEN_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['id', 'text'], ['token_hash', 'text'], ['kind', 'text'], ['account_id', 'text'], ['scopes', 'text'], ['created_at', 'text'],
];

/** Writes rows made by `make(i)` for i in [0, count) in transactions of `batch` rows. */
async function writeRows(bulk: BulkWriter, table: string, columns: ReadonlyArray<readonly [string, ColumnType]>, count: number, make: (i: number) => unknown[], log: (s: string) => void, batch = 50_000): Promise<void> {
  const started = Date.now();
  let lastLog = started;
  for (let from = 0; from < count; from += batch) {
    const rows: unknown[][] = [];
    const to = Math.min(count, from + batch);
    for (let i = from; i < to; i++) rows.push(make(i));
    await bulk.begin();
    await bulk.insert(table, columns, rows);
    await bulk.commit();
    if (Date.now() - lastLog > 5000 || to === count) {
      lastLog = Date.now();
      const secs = (lastLog - started) / 1000;
      log(`  ${table}: ${to.toLocaleString('en')} of ${count.toLocaleString('en')} (${secs.toFixed(1)} s, ${Math.round(to / Math.max(secs, 0.001)).toLocaleString('en')} rows/s)`);
    }
  }
}

async function rebuildIndexes(bulk: BulkWriter, statements: string[], log: (s: string) => void): Promise<void> {
  const started = Date.now();
  for (const statement of statements) await bulk.run(statement);
  if (statements.length) log(`  ${statements.length} indexes built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function generate(options: GenerateOptions): Promise<Manifest> {
  const { size, target } = options;
  const seed = options.seed ?? 'glimpse';
  const threshold = options.fanoutThreshold ?? size.fanoutThreshold;
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  log(`generating ${size.name} on ${target.kind} (seed "${seed}", fan-out threshold ${threshold})`);

  // The schema comes from the server's own migrations.
  const handle = await openHandle(target);
  await handle.close();

  const g = buildGraph(size, seed, threshold, log);
  const n = size.accounts;
  const ids = g.accountIds;
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const bulk = await openBulk(target);
  try {
    const deferred: string[] = [];
    for (const table of ['users', 'follows', 'statuses', 'media']) deferred.push(...(await bulk.dropIndexes(table)));
    const triggers: string[] = [];
    for (const table of ['follows', 'media']) triggers.push(...(await bulk.dropTriggers(table)));
    const textRng = new Prng(`${seed}:text`);
    const accountStep = Math.max(1, Math.floor((365 * DAY) / n));
    await writeRows(bulk, 'accounts', ACCOUNT_COLUMNS, n, (i) => {
      const username = usernameOf(i);
      const at = iso(ACCOUNTS_FROM + i * accountStep);
      const display = i === 0 ? 'The Celebrity' : `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}`;
      return [ids[i], username, username.toLowerCase(), display, '', 0, 1, g.followers[i], g.following[i], g.postsBy[i], at, at];
    }, log);
    await writeRows(bulk, 'users', USER_COLUMNS, n, (i) => {
      const email = `${usernameOf(i)}@bench.glimpse.test`;
      const at = iso(ACCOUNTS_FROM + i * accountStep);
      return [ids[i], email, email.toLowerCase(), passwordHash, i === 0 ? 'admin' : 'user', 1, 0, '', at, at, at];
    }, log);

    const edges = g.edgeSrc.length;
    const edgeStep = Math.max(1, Math.floor((300 * DAY) / edges));
    await writeRows(bulk, 'follows', FOLLOW_COLUMNS, edges, (i) => {
      const at = FOLLOWS_FROM + i * edgeStep;
      return [idAt(at), ids[g.edgeSrc[i]], ids[g.edgeDst[i]], iso(at)];
    }, log, 100_000);

    const posts = g.postAuthor.length;
    const postStep = Math.max(2, Math.floor(POSTS_SPAN / posts));
    const postAt = (i: number) => POSTS_FROM + i * postStep;
    await writeRows(bulk, 'statuses', STATUS_COLUMNS, posts, (i) => {
      const words = 3 + textRng.int(8);
      const caption = Array.from({ length: words }, () => WORDS[textRng.int(WORDS.length)]).join(' ');
      return [idAt(postAt(i)), ids[g.postAuthor[i]], caption, 'public', 0, '', 'en', 0, 'everyone', 1, 0, 0, iso(postAt(i)), null, null, null, 0, '', null, null, 0];
    }, log);
    await writeRows(bulk, 'media', MEDIA_COLUMNS, posts, (i) => {
      const key = crypto.createHash('sha256').update(`${seed}:media:${i}`).digest('base64url');
      return [idAt(postAt(i), 1), ids[g.postAuthor[i]], 'attachment', 'ready', key, '', 0, 0, 1080, 1350, BLURHASH, VARIANTS, idAt(postAt(i)), 0, iso(postAt(i))];
    }, log);

    // Token holders: the celebrity, the mid account, some of the mid account's followers
    // (celebrity reach polls them) and a random sample of everyone else.
    const tokenCount = Math.min(size.tokens, n);
    const holders: number[] = [0, 1];
    const taken = new Set(holders);
    const midShare = Math.min(g.midFollowers.length, Math.max(size.load.reachSample * 2, Math.floor(tokenCount / 4)));
    for (const u of g.midFollowers.subarray(0, midShare)) if (holders.length < tokenCount && !taken.has(u)) (holders.push(u), taken.add(u));
    const sampleRng = new Prng(`${seed}:holders`);
    const order = sampleRng.permutation(n);
    for (let k = 0; k < n && holders.length < tokenCount; k++) if (!taken.has(order[k])) (holders.push(order[k]), taken.add(order[k]));
    const tokens: TokenHolder[] = holders.map((index) => ({ index, id: ids[index], username: usernameOf(index), token: tokenFor(seed, index) }));
    await writeRows(bulk, 'access_tokens', TOKEN_COLUMNS, tokens.length, (i) => [
      idAt(TOKENS_AT + i), hashToken(tokens[i].token), 'oauth', tokens[i].id, 'read write follow push', iso(TOKENS_AT + i),
    ], log);

    await rebuildIndexes(bulk, deferred.splice(0), log);
    deferred.push(...(await bulk.dropIndexes('home_feed')));

    // The home feeds, as the fan-out job leaves them: each post of a pushed author (at or
    // below the threshold) in each follower's feed. Computed in SQL, a range of followers at
    // a time, in (follower, post) order so the feed's indexes are filled from left to right.
    // (Every generated post is top-level, so no in_reply_to_id filter; CROSS JOIN keeps
    // SQLite's planner on follows → accounts → statuses, which PostgreSQL plans freely.)
    let expected = 0;
    for (let i = 0; i < g.edgeSrc.length; i++) {
      const a = g.edgeDst[i];
      if (g.followers[a] <= threshold) expected += g.postsBy[a];
    }
    const chunk = Math.max(1, Math.floor((n * 250_000) / Math.max(expected, 1)));
    const homeStarted = Date.now();
    let lastLog = homeStarted;
    let written = 0;
    for (let from = 0; from < n; from += chunk) {
      const to = Math.min(n, from + chunk) - 1;
      await bulk.begin();
      written += await bulk.run(
        `INSERT INTO home_feed (account_id, status_id, author_id)
         SELECT f.account_id, s.id, s.account_id
         FROM follows f CROSS JOIN accounts a CROSS JOIN statuses s
         WHERE f.account_id >= ? AND f.account_id <= ? AND a.id = f.target_account_id AND a.followers_count <= ?
           AND s.account_id = f.target_account_id
         ORDER BY f.account_id, s.id`,
        [ids[from], ids[to], threshold],
      );
      await bulk.commit();
      if (Date.now() - lastLog > 5000 || to === n - 1) {
        lastLog = Date.now();
        const secs = (lastLog - homeStarted) / 1000;
        log(`  home_feed: ${written.toLocaleString('en')} of ${expected.toLocaleString('en')} (${secs.toFixed(1)} s, ${Math.round(written / Math.max(secs, 0.001)).toLocaleString('en')} rows/s)`);
      }
    }
    if (written !== expected) throw new Error(`home_feed: wrote ${written} rows, expected ${expected}`);
    await rebuildIndexes(bulk, deferred.splice(0), log);
    for (const statement of triggers) await bulk.run(statement);

    const st = buildStories(size, g, seed, Date.now());
    const storyCount = st.author.length;
    const storyKey = (i: number) => crypto.createHash('sha256').update(`${seed}:story-media:${i}`).digest('base64url');
    const STORY_MEDIA_COLUMNS = MEDIA_COLUMNS;
    await writeRows(bulk, 'media', STORY_MEDIA_COLUMNS, storyCount, (i) => [
      idAt(st.createdMs[i], 1), ids[st.author[i]], 'attachment', 'ready', storyKey(i), '', 0, 0, 1080, 1920, BLURHASH, VARIANTS, null, 0, iso(st.createdMs[i]),
    ], log);
    await writeRows(bulk, 'stories', STORY_COLUMNS, storyCount, (i) => [
      idAt(st.createdMs[i]), ids[st.author[i]], idAt(st.createdMs[i], 1), 5000, st.closeFriendsOnly[i] ? 'close_friends' : 'followers', '[]', null, st.viewers[i].length,
      iso(st.createdMs[i]), iso(st.createdMs[i] + DAY),
    ], log);
    const views: Array<[number, number, number]> = [];
    for (let i = 0; i < storyCount; i++) for (let k = 0; k < st.viewers[i].length; k++) views.push([i, st.viewers[i][k], st.viewedMs[i][k]]);
    await writeRows(bulk, 'story_views', STORY_VIEW_COLUMNS, views.length, (j) => [idAt(st.createdMs[views[j][0]]), ids[views[j][1]], iso(views[j][2])], log, 100_000);
    await writeRows(bulk, 'close_friends', CLOSE_FRIEND_COLUMNS, st.closeFriends.length, (j) => [ids[st.closeFriends[j][0]], ids[st.closeFriends[j][1]], iso(FOLLOWS_FROM + 301 * DAY)], log);
    log(`  stories: ${storyCount.toLocaleString('en')} live stories by ${st.authors.toLocaleString('en')} accounts (the celebrity ${st.celebrityStories}), ${views.length.toLocaleString('en')} views, ${st.closeFriends.length.toLocaleString('en')} close-friend rows`);
    if (bulk.kind === 'postgres') {
      log('  ANALYZE (autovacuum would do it after a load like this)');
      await bulk.run('ANALYZE');
    }

    let maxFollowing = 0;
    let maxOrdinaryFollowers = 0;
    for (let i = 0; i < n; i++) {
      maxFollowing = Math.max(maxFollowing, g.following[i]);
      if (i !== 0) maxOrdinaryFollowers = Math.max(maxOrdinaryFollowers, g.followers[i]);
    }
    const midSet = new Set(g.midFollowers);
    const manifest: Manifest = {
      size: size.name,
      db: target.kind,
      seed,
      fanoutThreshold: threshold,
      generatedAt: new Date().toISOString(),
      generateSeconds: (Date.now() - started) / 1000,
      counts: { accounts: n, users: n, follows: edges, posts, media: posts, homeFeed: expected, tokens: tokens.length, stories: storyCount, storyAuthors: st.authors, storyViews: views.length, closeFriends: st.closeFriends.length },
      celebrity: { id: ids[0], username: usernameOf(0), followers: g.followers[0], posts: g.postsBy[0], stories: st.celebrityStories },
      mid: { id: ids[1], username: usernameOf(1), followers: g.followers[1], posts: g.postsBy[1] },
      tokens,
      midFollowerTokens: tokens.flatMap((t, i) => (midSet.has(t.index) ? [i] : [])),
      maxFollowing,
      maxOrdinaryFollowers,
    };
    fs.writeFileSync(path.join(target.dataDir, 'manifest.json'), JSON.stringify(manifest));
    log(`generated in ${manifest.generateSeconds.toFixed(1)} s: ${n.toLocaleString('en')} accounts, ${edges.toLocaleString('en')} follows, ${posts.toLocaleString('en')} posts, ${expected.toLocaleString('en')} home-feed rows, ${tokens.length} tokens`);
    return manifest;
  } finally {
    await bulk.close();
  }
}

export function readManifest(dataDir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'manifest.json'), 'utf8')) as Manifest;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function defaultDataDir(size: string, db: DbKind): string {
  return path.join(ROOT, '.tmp', `bench-${size}-${db}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'smoke' }, db: { type: 'string', default: 'sqlite' }, dir: { type: 'string' }, seed: { type: 'string', default: 'glimpse' } },
  });
  const db = values.db as DbKind;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db sqlite|postgres');
  const dir = values.dir ?? defaultDataDir(values.size!, db);
  const target = await freshTarget(db, dir);
  await generate({ size: sizeFor(values.size!), target, seed: values.seed });
}
