import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWorld, type World } from '../support/world.ts';
import { routesOf } from '../../src/http/route-table.ts';

/**
 * README's "Mastodon API compatibility" table against the routes the app registers: every
 * route under /api/ is covered by a row, and every path of a row that claims support
 * (supported or partly) is a route, so neither the table nor the server can drift alone.
 */

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const SECTION = '## Mastodon API compatibility';
const STATUSES = ['supported', 'partly', 'refused', 'absent'] as const;
type Status = (typeof STATUSES)[number];

interface Row {
  family: string;
  status: Status;
  paths: string[];
}

/** The table's rows: family, status, and the path patterns written as code in the Paths cell. */
function readTable(): Row[] {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(`${SECTION}\n`);
  assert.ok(start >= 0, `README.md has a "${SECTION}" section`);
  const rest = text.slice(start + SECTION.length);
  const end = rest.search(/\n## /);
  const lines = (end >= 0 ? rest.slice(0, end) : rest).split('\n').filter((l) => l.trim().startsWith('|'));
  const [header, separator, ...body] = lines;
  assert.deepEqual(header.split('|').slice(1, 4).map((c) => c.trim()), ['Family', 'Status', 'Paths']);
  assert.match(separator, /^\|[\s-|]+\|$/);
  return body.map((line) => {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const status = cells[1] as Status;
    assert.ok(STATUSES.includes(status), `"${cells[0]}": status "${cells[1]}" is one of ${STATUSES.join(', ')}`);
    return { family: cells[0], status, paths: [...cells[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]) };
  });
}

/** `{a,b}` in a pattern: one pattern per choice (several braces multiply). */
function expand(pattern: string): string[] {
  const brace = /\{([^{}]*)\}/.exec(pattern);
  if (!brace) return [pattern];
  return brace[1].split(',').flatMap((choice) => expand(pattern.slice(0, brace.index) + choice + pattern.slice(brace.index + brace[0].length)));
}

/**
 * Whether a route's URL matches a pattern: segments are equal, a `:name` segment matches any
 * parameter segment (whatever the route calls it, but never a literal word), `*` any one
 * segment, and a final `**` whatever follows, or nothing.
 */
function matches(pattern: string, url: string): boolean {
  const p = pattern.split('/');
  const u = url.split('/');
  const walk = (i: number, j: number): boolean => {
    if (i === p.length - 1 && p[i] === '**') return true;
    if (i === p.length || j === u.length) return i === p.length && j === u.length;
    const segment = p[i];
    const ok = segment === '*' || (segment.startsWith(':') ? u[j].startsWith(':') : segment === u[j]);
    return ok && walk(i + 1, j + 1);
  };
  return walk(0, 0);
}

const covers = (row: Row, url: string) => row.paths.flatMap(expand).some((pattern) => matches(pattern, url));

describe('README\'s Mastodon API compatibility table', () => {
  let world: World;
  let urls: string[];
  let rows: Row[];

  before(async () => {
    world = await createWorld({ accounts: ['mara'] });
    urls = [...new Set(routesOf(world.app.http).map((r) => r.url))].sort();
    rows = readTable();
  });
  after(() => world.close());

  test('the pattern rules: parameters match parameters only, ** matches below and nothing, braces expand', () => {
    assert.ok(matches('/api/v1/notifications/:id', '/api/v1/notifications/:notification_id'));
    assert.ok(!matches('/api/v1/notifications/:id', '/api/v1/notifications/requests'));
    assert.ok(matches('/api/v1/lists/**', '/api/v1/lists'));
    assert.ok(matches('/api/v1/lists/**', '/api/v1/lists/:id/accounts'));
    assert.ok(!matches('/api/v1/lists', '/api/v1/lists/:id'));
    assert.deepEqual(expand('/a/{b,c}/{d,e}'), ['/a/b/d', '/a/b/e', '/a/c/d', '/a/c/e']);
  });

  test('the table has a row for each Mastodon API family, and every row names its paths', () => {
    const families = rows.map((r) => r.family.toLowerCase());
    for (const family of ['apps', 'accounts', 'profile', 'statuses', 'media', 'timelines', 'notifications (v1)', 'grouped notifications', 'lists', 'tags', 'filters', 'trends', 'suggestions', 'directory', 'favourites', 'bookmarks', 'search', 'instance', 'custom emojis', 'conversations', 'scheduled statuses', 'push', 'markers', 'reports', 'admin', 'streaming', 'domain blocks', 'polls', 'reblogs', 'quotes', 'announcements', 'text-only', 'glimpse extensions']) {
      assert.ok(families.some((f) => f.includes(family)), `a row for ${family}`);
    }
    assert.deepEqual(rows.filter((r) => r.paths.length === 0).map((r) => r.family), [], 'rows without paths');
    assert.deepEqual(rows.flatMap((r) => r.paths.filter((p) => !p.startsWith('/')).map((p) => `${r.family}: ${p}`)), [], 'paths that are not paths');
  });

  test('every route under /api/ is covered by a row', () => {
    const uncovered = urls.filter((url) => url.startsWith('/api/')).filter((url) => !rows.some((row) => covers(row, url)));
    assert.deepEqual(uncovered, [], 'routes no row of the table covers');
  });

  test('every path of a supported or partly supported row matches a registered route', () => {
    const claimed = rows.filter((r) => r.status === 'supported' || r.status === 'partly');
    const stale = claimed.flatMap((row) => row.paths.flatMap(expand).filter((pattern) => !urls.some((url) => matches(pattern, url))).map((pattern) => `${row.family} (${row.status}): ${pattern}`));
    assert.deepEqual(stale, [], 'paths the table claims that no route serves');
  });

  test('an absent family has no route', () => {
    const present = rows.filter((r) => r.status === 'absent').flatMap((row) => urls.filter((url) => covers(row, url)).map((url) => `${row.family}: ${url}`));
    assert.deepEqual(present, [], 'routes of families the table says are absent');
  });
});
