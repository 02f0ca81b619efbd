import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createWorld, type Actor, type World } from '../support/world.ts';
import { appToken, createOAuthApp, REDIRECT_URI, tokenWithScopes, type RegisteredApp } from '../support/http.ts';
import { makeJpeg, postPhotos, uploadPhoto } from '../support/photos.ts';
import { TEST_DB } from '../support/test-database.ts';
import { routesOf, type RouteRecord } from '../../src/http/route-table.ts';

/**
 * A property-based fuzz of every registered route: generated paths, queries, headers,
 * credentials and bodies (JSON, form, multipart, raw bytes), sent through inject(). Whatever
 * arrives, the server answers: never a 5xx, never a hang, and an error with a JSON body is
 * `{"error": "..."}`. The run is seeded; the seed is printed, and GLIMPSE_FUZZ_SEED=<seed>
 * replays the same requests (GLIMPSE_FUZZ_RUNS changes how many).
 */

const SEED = process.env.GLIMPSE_FUZZ_SEED ? Number(process.env.GLIMPSE_FUZZ_SEED) : (Math.random() * 2 ** 31) | 0;
const RUNS = Number(process.env.GLIMPSE_FUZZ_RUNS ?? (TEST_DB === 'postgres' ? 2_000 : 10_000));
/** Far beyond any answer on a busy machine: only a request that never ends reaches it. */
const HANG_MS = 30_000;


// --- what a generated request is ------------------------------------------------------------

/**
 * Generated text may hold placeholders `@@pool:n@@`, replaced just before sending by the n-th
 * (modulo) entry of a pool: real ids, usernames, tokens... Tokens can be re-issued mid-run and
 * ids are harvested from answers, so the generated requests stay fixed while the pools move.
 */
type Template = string;
type BodyKind = 'none' | 'json' | 'json-any' | 'json-deep' | 'json-huge' | 'json-truncated' | 'json-garbage' | 'form' | 'form-raw' | 'multipart' | 'multipart-malformed' | 'raw';

interface GeneratedRequest {
  route: string;
  method: string;
  path: Template;
  query: Template;
  headers: Array<[string, Template]>;
  kind: BodyKind;
  contentType?: string;
  body?: Template | Uint8Array;
}

interface SentRequest {
  route: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  kind: BodyKind;
  payload?: string | Buffer;
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

const ref = (pool: string) => fc.nat(1000).map((n) => `@@${pool}:${n}@@`);

/** Every field name the routes read, plus names that attack object prototypes. */
const FIELD_NAMES = [
  'account_id', 'account_ids', 'acct', 'action', 'agreement', 'align', 'audience', 'before', 'bot', 'category', 'client_id', 'client_name',
  'client_secret', 'code', 'code_challenge', 'code_challenge_method', 'code_verifier', 'comment', 'comment_id', 'comment_policy', 'cover_story_id',
  'csrf_token', 'current_password', 'cursor', 'decision', 'default_comment_policy', 'description', 'discoverable', 'display_name', 'duration',
  'duration_ms', 'email', 'exclude_reblogs', 'exclude_replies', 'exclude_types', 'exp', 'fields_attributes', 'file', 'focus', 'following', 'font',
  'force_login', 'format', 'forward', 'grant_type', 'hashtag', 'hide_like_count', 'home', 'id', 'in_reply_to_id', 'input', 'key', 'lang',
  'language', 'languages', 'last_read_id', 'limit', 'local', 'locale', 'locked', 'login', 'max_id', 'maxheight', 'maxwidth', 'media_id',
  'media_ids', 'min_id', 'note', 'notifications', 'notify', 'offset', 'only_media', 'overlays', 'password', 'pinned', 'poll', 'position',
  'privacy', 'q', 'reason', 'reblogs', 'redirect_uri', 'redirect_uris', 'refresh_token', 'remote', 'reshare_of_id', 'resolve', 'resolved',
  'response_type', 'rule_ids', 'scheduled_at', 'scope', 'scopes', 'sensitive', 'sig', 'since_id', 'sort', 'source', 'spoiler_text', 'state',
  'status', 'status_ids', 'story_ids', 'stream', 'tag', 'tagged', 'tags', 'text', 'thumbnail', 'timeline', 'title', 'token', 'type', 'types',
  'url', 'use_default_list', 'username', 'visibility', 'website', 'words', 'access_token', 'emoji', 'x', 'y', 'avatar', 'header',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '',
];

const VALUE_WORDS = [
  '', ' ', 'true', 'false', '0', '1', '-1', '2147483648', '1e309', 'NaN', 'Infinity', 'null', 'undefined', '[]', '{}', 'public', 'unlisted',
  'private', 'direct', 'followers', 'close_friends', 'everyone', 'nobody', 'following', 'either', 'read', 'write', 'follow', 'push',
  'read write follow push', 'admin:read', 'admin:write', 'read:statuses', 'authorization_code', 'client_credentials', 'refresh_token', 'password',
  'code', 'token', 'S256', 'plain', 'urn:ietf:wg:oauth:2.0:oob', REDIRECT_URI, 'https://client.example/callback/', 'javascript:alert(1)',
  'file:///etc/passwd', 'dismiss', 'hide', 'suspend', 'top', 'newest', 'en', 'de', 'user', 'user:notification', 'public:local', 'hashtag',
  'accounts', 'statuses', 'hashtags', 'mention', 'favourite', 'follow_request', 'json', 'xml', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  "$&$`$'$$", '\u202Eevil\u202C', '\u0000', 'a\u0000b', '%00', '../../etc/passwd', '@mara', '#tag', 'mara@glimpse.test', '2026-11-28T10:00:00Z',
  '👍🏽', '😡', 'ＤＩＳＧＵＳＴ', 'd i s g u s t', 'mara-password', '\uFEFF', '\uD800', '\r\n', 'w640.webp', 'original', 'preview.jpg',
];

const oddUnicode = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('\u200B\u200D\uFE0F', '𝐝𝐢𝐬𝐠𝐮𝐬𝐭', 'Z̸̢̛̛͕̭a̵l̶g̸o̷', '\uDFFF\uD800', 'ا\u0644\u0639\u0631\u0628\u064A\u0629', '\u{E0041}\u{E007F}'),
);

const textValue: fc.Arbitrary<Template> = fc.oneof(
  { arbitrary: fc.constantFrom(...VALUE_WORDS), weight: 6 },
  { arbitrary: fc.oneof(ref('id'), ref('user'), ref('token'), ref('client'), ref('secret'), ref('key')), weight: 4 },
  { arbitrary: oddUnicode, weight: 3 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 2 },
  { arbitrary: fc.oneof(fc.integer(), fc.double()).map(String), weight: 2 },
  { arbitrary: fc.bigInt({ min: 10n ** 15n, max: 10n ** 16n - 1n }).map(String), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('x', '9', 'é', '𝐝', ' ', '#', '@mara '), fc.integer({ min: 60, max: 12_000 })).map(([c, n]) => c.repeat(n)), weight: 1 },
);

const fieldName: fc.Arbitrary<string> = fc.oneof({ arbitrary: fc.constantFrom(...FIELD_NAMES), weight: 8 }, { arbitrary: oddUnicode, weight: 1 });

/** qs-style keys: brackets for arrays and hashes, deep, odd and hostile ones. */
const formKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fieldName, weight: 6 },
  { arbitrary: fieldName.map((k) => `${k}[]`), weight: 3 },
  { arbitrary: fc.tuple(fieldName, fieldName).map(([a, b]) => `${a}[${b}]`), weight: 2 },
  { arbitrary: fc.tuple(fieldName, fc.oneof(fc.nat(30), fc.nat(10_000_000))).map(([a, n]) => `${a}[${n}]`), weight: 2 },
  { arbitrary: fc.array(fieldName, { minLength: 3, maxLength: 12 }).map((ks) => ks[0] + ks.slice(1).map((k) => `[${k}]`).join('')), weight: 1 },
  { arbitrary: fc.constantFrom('__proto__[admin]', 'constructor[prototype][admin]', 'a[__proto__][b]', 'a[constructor][prototype]', '[]', '[', ']', 'a[b', 'a]b[', '[0]', 'fields_attributes[0][name]', 'source[privacy]', 'source[note]'), weight: 2 },
);

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD), never throwing; keeps `:` and `@`, so placeholders survive. */
function percentEncode(text: string, keepBrackets: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~@:]/.test(c) || (keepBrackets && (c === '[' || c === ']')) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Key/value pairs (repeats allowed) as a query string or form body. */
const pairs: fc.Arbitrary<Template> = fc
  .tuple(fc.array(fc.tuple(formKey, textValue), { maxLength: 8 }), fc.boolean())
  .map(([list, keepBrackets]) => list.map(([k, v]) => `${percentEncode(k, keepBrackets)}=${percentEncode(v, keepBrackets)}`).join('&'));

const rawQueryJunk = fc.oneof(
  fc.string({ unit: fc.constantFrom('%', '&', '=', '[', ']', 'a', '0', 'E', 'F', '+', '#', '?'), maxLength: 40 }),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', 'a=%00', '&&&', '==', 'a[=1', 'limit=1&limit=2&limit=3', `${'a[]=1&'.repeat(2000)}`, `${'x'.repeat(9000)}=1`),
);

const query: fc.Arbitrary<Template> = fc.oneof(
  { arbitrary: fc.constant(''), weight: 4 },
  { arbitrary: pairs, weight: 6 },
  { arbitrary: ref('token').map((t) => `access_token=${t}`), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom('user', 'public', 'hashtag', 'user:notification', 'nonsense'), textValue).map(([s, tag]) => `stream=${s}&tag=${percentEncode(tag, false)}`), weight: 1 },
  { arbitrary: rawQueryJunk, weight: 1 },
);

/** A value for a path parameter such as :id, :username, :hashtag or :key. */
const pathParam: fc.Arbitrary<Template> = fc.oneof(
  { arbitrary: ref('id'), weight: 8 },
  { arbitrary: fc.oneof(ref('user'), ref('key'), ref('file')), weight: 3 },
  { arbitrary: fc.bigInt({ min: 10n ** 15n, max: 10n ** 16n - 1n }).map(String), weight: 2 },
  { arbitrary: fc.constantFrom('0', '-1', '1e5', '00000000000000001', 'null', 'undefined', '__proto__', 'constructor', 'w640.webp', 'original.jpg', 'verify_credentials'), weight: 2 },
  { arbitrary: fc.integer({ min: 33, max: 5000 }).map((n) => '9'.repeat(n)), weight: 1 },
  { arbitrary: oddUnicode.map((s) => percentEncode(s, false)), weight: 2 },
  { arbitrary: fc.constantFrom('%', '%zz', '%00', '%2F', '%2e%2e', '..', '%C0%AF', '%ED%A0%80', '%F0%9F', '@', ':id'), weight: 1 },
);

const headerValue = fc.oneof(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }), fc.integer({ min: 100, max: 16_000 }).map((n) => 'h'.repeat(n)));

/** Who the request claims to be: nobody, a real token, or something broken. */
const credentials: fc.Arbitrary<Array<[string, Template]>> = fc.oneof(
  { arbitrary: fc.constant([] as Array<[string, Template]>), weight: 3 },
  { arbitrary: ref('token').map((t) => [['authorization', `Bearer ${t}`]] as Array<[string, Template]>), weight: 6 },
  { arbitrary: headerValue.map((v) => [['authorization', `Bearer ${v}`]] as Array<[string, Template]>), weight: 1 },
  { arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'bearer  a b', 'Basic bWFyYTptYXJhLXBhc3N3b3Jk', 'Token abc', 'Bearer\t@@token:0@@', ' Bearer @@token:1@@', 'Bearer @@token:0@@ @@token:1@@', 'BEARER @@token:2@@', '').map((v) => [['authorization', v]] as Array<[string, Template]>), weight: 1 },
  { arbitrary: fc.constant([['cookie', 'glimpse_session=@@session:0@@']] as Array<[string, Template]>), weight: 2 },
  { arbitrary: fc.constant([['cookie', 'glimpse_session=@@session:0@@'], ['x-csrf-token', '@@csrf:0@@']] as Array<[string, Template]>), weight: 2 },
  { arbitrary: headerValue.map((v) => [['cookie', 'glimpse_session=@@session:0@@'], ['x-csrf-token', v]] as Array<[string, Template]>), weight: 1 },
  { arbitrary: headerValue.map((v) => [['cookie', `glimpse_session=${v}`]] as Array<[string, Template]>), weight: 1 },
  { arbitrary: fc.constantFrom('glimpse_session=', 'glimpse_session=s:abc.def', '=;=;', 'glimpse_session=@@session:0@@; glimpse_session=x').map((v) => [['cookie', v]] as Array<[string, Template]>), weight: 1 },
);

const extraHeader: fc.Arbitrary<[string, Template]> = fc.oneof(
  fc.constantFrom<[string, string]>(
    ['accept', 'application/json'], ['accept', 'text/html'], ['accept', '*/*'], ['accept', 'image/webp'], ['accept-encoding', 'gzip, deflate, br'],
    ['accept-language', 'de-CH,de;q=0.9,*;q=0.1'], ['x-forwarded-for', '203.0.113.7, 10.0.0.1'], ['x-forwarded-proto', 'https'], ['forwarded', 'for=203.0.113.7;proto=https'],
    ['origin', 'https://evil.example'], ['origin', 'http://glimpse.test'], ['origin', 'null'], ['referer', 'javascript:alert(1)'], ['if-none-match', '*'],
    ['if-modified-since', 'yesterday'], ['range', 'bytes=0-0'], ['range', 'bytes=-1,5-2,99999999999-'], ['x-http-method-override', 'DELETE'],
    ['upgrade', 'websocket'], ['connection', 'upgrade'], ['sec-websocket-protocol', '@@token:0@@'], ['sec-websocket-key', 'dGhlIHNhbXBsZSBub25jZQ=='],
    ['sec-websocket-version', '13'], ['host', 'evil.example'], ['host', ''], ['x-csrf-token', '@@csrf:0@@'], ['content-length', '7'], ['content-length', '100000'],
    ['content-encoding', 'gzip'], ['transfer-encoding', 'chunked'], ['expect', '100-continue'],
  ),
  fc.tuple(fc.constantFrom('user-agent', 'accept', 'accept-language', 'x-forwarded-for', 'x-request-id', 'idempotency-key', 'origin', 'x-real-ip', 'if-none-match'), headerValue),
);

// --- bodies ---------------------------------------------------------------------------------

const jsonScalar: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: textValue.map((s) => JSON.stringify(s)), weight: 6 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => JSON.stringify(n)), weight: 2 },
  { arbitrary: fc.constantFrom('true', 'false', 'null', '-0', '1e400', '-1e400', '1.5e-400', '12345678901234567890123', '9007199254740993', '"\\u0000"', '"\\ud800"'), weight: 2 },
  { arbitrary: fc.bigInt({ min: 10n ** 15n, max: 10n ** 16n - 1n }).map(String), weight: 1 },
);

/** JSON as text, so duplicate keys and keys like __proto__ survive into the body. */
const { json } = fc.letrec<{ json: string; array: string; object: string }>((tie) => ({
  json: fc.oneof({ depthSize: 'small' }, jsonScalar, tie('array'), tie('object')),
  array: fc.array(tie('json'), { maxLength: 6 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(fieldName, tie('json')), { maxLength: 6 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
}));

/** An object of the fields the API reads, with values of any type. */
const apiObject = fc.array(fc.tuple(fieldName, fc.oneof({ arbitrary: jsonScalar, weight: 3 }, { arbitrary: json, weight: 2 })), { maxLength: 8 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

const jsonType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=latin1', 'application/json; charset=utf-16le', 'application/json, text/plain', 'text/json', 'application/activity+json', 'application/merge-patch+json'), weight: 2 },
);

const deepJson = fc
  .tuple(fc.constantFrom<[string, string]>(['[', ']'], ['{"a":', '}'], ['{"overlays":[', ']}'], ['{"source":', '}']), fc.constantFrom(33, 200, 5_000, 20_000, 100_000), fc.boolean())
  .map(([[open, close], depth, closed]) => `${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`);

const hugeJson = fc.oneof(
  fc.tuple(fc.constantFrom('media_ids', 'status_ids', 'story_ids', 'account_ids', 'words', 'overlays', 'redirect_uris', 'languages', 'types'), fc.constantFrom(101, 1_000, 20_000), fc.constantFrom('"@@id:0@@"', '1', '"x"', '{}', '[]'))
    .map(([key, n, item]) => `{"${key}":[${Array.from({ length: n }, () => item).join(',')}]}`),
  fc.constantFrom(2_000, 30_000).map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`),
  fc.constantFrom('status', 'note', 'text', 'comment', 'q').map((key) => `{"${key}":"${'x'.repeat(900_000)}"}`),
);

const garbageText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('{', '}', '{"a":}', '{"a":1,}', '[1,]', "{'a':1}", '{"a":1}{"b":2}', '\uFEFF{}', '/* c */{}', 'NaN', '{"a":"\\x00"}', '{"a":"\\u12"}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '{"a":1,"a":2}'),
);

/** A well-formed multipart body with generated fields and perhaps a file. */
function multipartBody(fields: Array<[string, string]>, file: { field: string; name: string; type: string; data: Uint8Array } | null, boundary: string): Buffer {
  const clean = (s: string) => s.replace(/["\r\n\\]/g, '_');
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${clean(name)}"\r\n\r\n${value}\r\n`));
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${clean(file.field)}"; filename="${clean(file.name)}"\r\nContent-Type: ${clean(file.type)}\r\n\r\n`));
    chunks.push(Buffer.from(file.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

let jpeg: Buffer = Buffer.alloc(0); // a real small photo, made before the run

const fileArb = fc.option(
  fc.record({
    field: fc.constantFrom('file', 'avatar', 'header', 'thumbnail', 'media', 'x'),
    name: fc.oneof(fc.constantFrom('photo.jpg', '../../etc/passwd', 'a.svg', '', 'x'.repeat(300)), oddUnicode),
    type: fc.constantFrom('image/jpeg', 'image/png', 'image/svg+xml', 'text/html', 'application/octet-stream', ''),
    data: fc.oneof({ arbitrary: fc.uint8Array({ maxLength: 512 }), weight: 3 }, { arbitrary: fc.constant(null).map(() => new Uint8Array(jpeg)), weight: 1 }),
  }),
  { freq: 2 },
);

const multipartParts = fc.tuple(fc.array(fc.tuple(formKey, textValue), { maxLength: 6 }), fileArb);

const body: fc.Arbitrary<Pick<GeneratedRequest, 'kind' | 'contentType' | 'body'>> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 14 },
  { arbitrary: fc.tuple(apiObject, jsonType).map(([b, t]) => ({ kind: 'json' as const, contentType: t, body: b })), weight: 30 },
  { arbitrary: fc.tuple(json, jsonType).map(([b, t]) => ({ kind: 'json-any' as const, contentType: t, body: b })), weight: 6 },
  { arbitrary: deepJson.map((b) => ({ kind: 'json-deep' as const, contentType: 'application/json', body: b })), weight: 4 },
  { arbitrary: hugeJson.map((b) => ({ kind: 'json-huge' as const, contentType: 'application/json', body: b })), weight: 1 },
  { arbitrary: fc.tuple(apiObject, fc.nat()).map(([b, cut]) => ({ kind: 'json-truncated' as const, contentType: 'application/json', body: b.slice(0, cut % Math.max(1, b.length)) })), weight: 4 },
  { arbitrary: garbageText.map((b) => ({ kind: 'json-garbage' as const, contentType: 'application/json', body: b })), weight: 4 },
  { arbitrary: pairs.map((b) => ({ kind: 'form' as const, contentType: 'application/x-www-form-urlencoded', body: b })), weight: 14 },
  { arbitrary: rawQueryJunk.map((b) => ({ kind: 'form-raw' as const, contentType: 'application/x-www-form-urlencoded; charset=utf-8', body: b })), weight: 3 },
  {
    arbitrary: multipartParts.map(([fields, file]) => {
      const boundary = '----glimpse-fuzz-boundary';
      return { kind: 'multipart' as const, contentType: `multipart/form-data; boundary=${boundary}`, body: new Uint8Array(multipartBody(fields, file, boundary)) };
    }),
    weight: 7,
  },
  {
    arbitrary: fc.tuple(multipartParts, fc.nat(), fc.constantFrom('no-boundary', 'other-boundary', 'truncated', 'not-multipart', 'empty')).map(([[fields, file], cut, how]) => {
      const full = multipartBody(fields, file, 'real-boundary');
      const variants = {
        'no-boundary': { type: 'multipart/form-data', data: full },
        'other-boundary': { type: 'multipart/form-data; boundary=other-boundary', data: full },
        truncated: { type: 'multipart/form-data; boundary=real-boundary', data: full.subarray(0, cut % full.length) },
        'not-multipart': { type: 'multipart/form-data; boundary=real-boundary', data: Buffer.from('{"status":"hello"}') },
        empty: { type: 'multipart/form-data; boundary=', data: Buffer.alloc(0) },
      };
      return { kind: 'multipart-malformed' as const, contentType: variants[how].type, body: new Uint8Array(variants[how].data) };
    }),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(
        fc.oneof(fc.uint8Array({ maxLength: 2048 }), garbageText),
        fc.option(fc.constantFrom('text/plain', 'application/octet-stream', 'image/jpeg', 'application/xml', 'text/html', 'application/x-www-form-urlencoded', 'application/json', '', ';', 'a/b/c', '*/*', 'multipart/mixed; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16')),
      )
      .map(([b, t]) => ({ kind: 'raw' as const, contentType: t ?? undefined, body: b })),
    weight: 5,
  },
);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Paths that match no route, through the not-found handler and the web client's fallback. */
const UNROUTED: RouteRecord[] = ['/api/v1/nothing/:id', '/api/v9/statuses', '/oauth/nothing', '/@:username', '/some/page', '/assets/:id', '/media/:key', '/static/:file'].map((url) => ({ method: 'GET', url, config: {} }));

function requestFor(route: RouteRecord): fc.Arbitrary<GeneratedRequest> {
  const params = route.url.match(/:\w+|\*/g) ?? [];
  return fc
    .record({
      method: fc.oneof({ arbitrary: fc.constant(route.method), weight: 9 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 }),
      values: fc.tuple(...params.map(() => pathParam)),
      suffix: fc.oneof({ arbitrary: fc.constant(''), weight: 12 }, { arbitrary: fc.constantFrom('/', '//', '/x', '/..', '%20', ';a=b', '.json', '#frag'), weight: 1 }),
      query,
      credentials,
      extra: fc.array(extraHeader, { maxLength: 3 }),
      body,
    })
    .map(({ method, values, suffix, query, credentials, extra, body }) => {
      let i = 0;
      const path = route.url.replace(/:\w+|\*/g, () => values[i++]) + suffix;
      const generated: GeneratedRequest = { route: `${route.method} ${route.url}`, method, path, query, headers: [...credentials, ...extra], ...body };
      // fast-check prints a counterexample with this; the failure message holds the whole request.
      return Object.assign(generated, { [fc.toStringMethod]: () => `${method} ${path.slice(0, 200)} (${body.kind} body)` });
    });
}

// --- the world the requests run against -----------------------------------------------------

let world: World;
let oauthApp: RegisteredApp;
/** Everything the placeholders draw from. Tokens are kept valid (healed) between requests. */
const pools: Record<string, string[]> = { id: [], user: [], token: [], key: [], file: [], client: [], secret: [], session: [], csrf: [] };
/** The callers behind pools.token, so a token the fuzzer revoked can be issued again. */
let callers: Array<{ actor: Actor | null; scopes: string[] }> = [];
let spareActors = 0;
/** How often heal() had to issue a token or session again: the destructive routes were reached. */
let reissued = 0;
const statuses = new Map<number, number>();

const FULL = ['read', 'write', 'follow', 'push'];

before(async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} requests on ${TEST_DB} (GLIMPSE_FUZZ_SEED=${SEED} replays this run)`);
  world = await createWorld({ accounts: ['mara', 'ines', 'nora', 'sam'] });
  const { mara, ines, nora, sam } = world.actors;
  jpeg = await makeJpeg(16, 16);

  // A little of everything, so real ids reach deep into the routes.
  await world.post(ines, `/api/v1/accounts/${mara.id}/follow`);
  await world.post(mara, `/api/v1/accounts/${ines.id}/follow`);
  await world.post(sam, `/api/v1/accounts/${nora.id}/follow`);
  const post = await postPhotos(world, 'mara', 'Hello #fuzz @ines');
  const privatePost = await postPhotos(world, 'nora', 'Only followers');
  const comment = (await world.post(ines, '/api/v1/statuses', { status: 'Nice one', in_reply_to_id: post.id })).body;
  const reply = (await world.post(sam, '/api/v1/statuses', { status: '@ines agreed', in_reply_to_id: comment.id })).body;
  const story = (await world.post(mara, '/api/glimpse/v1/stories', { media_id: await uploadPhoto(world, 'mara'), overlays: [] })).body;
  const highlight = (await world.post(mara, '/api/glimpse/v1/highlights', { title: 'Best', story_ids: [story.id] })).body;
  const loose = await uploadPhoto(world, 'ines');
  const report = (await world.post(sam, '/api/v1/reports', { account_id: ines.id, status_ids: [comment.id], comment: 'spam' })).body;
  const notifications = (await world.get(mara, '/api/v1/notifications')).body as Array<{ id: string }>;
  oauthApp = await createOAuthApp(world);
  const appCaller = await appToken(world, oauthApp);

  for (const object of [post, privatePost, comment, reply, story, highlight, report]) assert.equal(typeof object?.id, 'string', `fixture object made: ${JSON.stringify(object).slice(0, 200)}`);
  pools.id.push(mara.id, ines.id, nora.id, sam.id, post.id, privatePost.id, comment.id, reply.id, story.id, highlight.id, loose, report.id, oauthApp.id, ...notifications.map((n) => n.id));
  pools.user.push('mara', 'ines', 'nora', 'sam', 'nobody', 'mara@glimpse.test', 'MARA');
  for (const attachment of [...post.media_attachments, ...privatePost.media_attachments]) {
    const [, , key, file] = new URL(attachment.url).pathname.split('/');
    pools.key.push(key);
    pools.file.push(file, file.replace(/\.\w+$/, '.jpg'), 'original', 'preview.webp');
  }
  pools.client.push(oauthApp.client_id);
  pools.secret.push(oauthApp.client_secret);

  callers = [
    { actor: mara, scopes: FULL }, // the instance admin: the first account
    { actor: ines, scopes: FULL },
    { actor: nora, scopes: FULL },
    { actor: sam, scopes: FULL },
    { actor: sam, scopes: ['read'] },
    { actor: null, scopes: ['read'] }, // the app's own client_credentials token
  ];
  pools.token = [mara.token, ines.token, nora.token, sam.token, (await tokenWithScopes(world, sam, ['read'])).token, appCaller.token];
  await startSession(ines); // the web session belongs to the holder of token 1
});

after(() => world?.close());

async function startSession(actor: Actor): Promise<void> {
  const token = await world.app.services.auth.createSession(actor.id);
  const res = await world.request(undefined, 'GET', '/api/glimpse/v1/session', undefined, { cookie: `glimpse_session=${token}` });
  assert.equal(res.status, 200, `a web session for ${actor.username}: ${JSON.stringify(res.body)}`);
  pools.session = [token];
  pools.csrf = [res.body.csrf_token];
}

async function isValid(token: string, kind: 'oauth' | 'session'): Promise<boolean> {
  return world.app.services.auth.authenticate(token, kind).then(
    () => true,
    () => false,
  );
}

/**
 * The fuzzer may revoke tokens, end the session or suspend an account. Whatever it broke is
 * issued again (or replaced by a fresh account), so later requests still carry valid ones.
 */
async function heal(): Promise<void> {
  for (const [i, caller] of callers.entries()) {
    if (await isValid(pools.token[i], 'oauth')) continue;
    reissued++;
    if (caller.actor === null) {
      pools.token[i] = (await appToken(world, oauthApp)).token;
      continue;
    }
    let issued = await world.app.services.auth.issue({ appId: null, accountId: caller.actor.id, scopes: caller.scopes, withRefresh: false });
    if (!(await isValid(issued.access_token, 'oauth'))) {
      caller.actor = await world.addActor(`fuzz_spare_${++spareActors}`);
      issued = await world.app.services.auth.issue({ appId: null, accountId: caller.actor.id, scopes: caller.scopes, withRefresh: false });
      pools.id.push(caller.actor.id);
    }
    pools.token[i] = issued.access_token;
  }
  if (!(await isValid(pools.session[0], 'session'))) {
    reissued++;
    await startSession(callers[1].actor!); // healed above, if the account had to be replaced
  }
}

const placeholder = /@@(\w+):(\d+)@@/g;
const fill = (template: string) => template.replace(placeholder, (_, pool: string, n: string) => (pools[pool].length ? pools[pool][Number(n) % pools[pool].length] : ''));

function resolve(generated: GeneratedRequest): SentRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of generated.headers) headers[name] = fill(value);
  if (generated.contentType !== undefined) headers['content-type'] = generated.contentType;
  const payload = generated.body === undefined ? undefined : typeof generated.body === 'string' ? fill(generated.body) : Buffer.from(generated.body);
  return { route: generated.route, method: generated.method, url: fill(generated.path) + (generated.query ? `?${fill(generated.query)}` : ''), headers, kind: generated.kind, payload };
}

function describeRequest(r: SentRequest): string {
  const payload = r.payload === undefined ? '(none)' : typeof r.payload === 'string' ? JSON.stringify(r.payload.length > 1000 ? `${r.payload.slice(0, 1000)}… (${r.payload.length} characters)` : r.payload) : `${r.payload.length} bytes, base64 ${r.payload.subarray(0, 1500).toString('base64')}`;
  const url = r.url.length > 600 ? `${r.url.slice(0, 600)}… (${r.url.length} characters)` : r.url;
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.length > 300 ? `${v.slice(0, 300)}… (${v.length} characters)` : v]));
  return `  route:   ${r.route}\n  request: ${r.method} ${url}\n  headers: ${JSON.stringify(headers)}\n  body (${r.kind}): ${payload}\n  seed:    ${SEED} (GLIMPSE_FUZZ_SEED=${SEED} replays the run)`;
}

/** Sends one request and reads its whole answer; an event stream is read up to its headers. */
async function exchange(r: SentRequest): Promise<Answer> {
  const res = await world.app.http.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, payload: r.payload, payloadAsStream: true });
  const stream = res.stream();
  if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    // A stream that opened stays open by design: hang up, as a client would.
    stream.destroy();
    (res.raw.res as unknown as { req: { destroy(): void } }).req.destroy();
    return { status: res.statusCode, headers: res.headers, body: '' };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
}

async function send(r: SentRequest): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS / 1000} s (a hang)`)), HANG_MS);
  });
  try {
    return await Promise.race([exchange(r), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with an answer, or undefined when it keeps the rules. */
function problemWith(r: SentRequest, answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 300)}`;
  // A HEAD answer has the headers of the GET but never a body.
  if (answer.status < 400 || r.method === 'HEAD' || !String(answer.headers['content-type'] ?? '').includes('json')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `answered ${answer.status} with a JSON content type but a body that is not JSON: ${answer.body.slice(0, 300)}`;
  }
  if (typeof (parsed as { error?: unknown } | null)?.error !== 'string') return `answered ${answer.status} without the Mastodon error shape {"error": "..."}: ${answer.body.slice(0, 300)}`;
  return undefined;
}

/** Remembers ids from successful answers, so later requests can name things the fuzz made. */
function harvest(answer: Answer): void {
  if (answer.status >= 300 || !String(answer.headers['content-type'] ?? '').includes('json') || pools.id.length >= 400) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return;
  }
  for (const item of Array.isArray(parsed) ? parsed.slice(0, 5) : [parsed]) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id.length <= 32 && !pools.id.includes(id)) pools.id.push(id);
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The route table is walked in a few passes, so every route gets its share by construction and
 * each pass meets the state the earlier ones left; each (pass, route) has its own seed from SEED.
 */
const PASSES = 4;

test(`at least ${RUNS} generated requests over every route: never a 5xx, never a hang, every JSON error in the Mastodon shape`, async () => {
  const routes = routesOf(world.app.http);
  assert.ok(routes.length > 100, `the route table holds ${routes.length} routes`);
  const targets = [...routes, ...UNROUTED];
  const runsPerRoute = Math.ceil(RUNS / (targets.length * PASSES));

  let sent = 0;
  const check = async (generated: GeneratedRequest) => {
    const r = resolve(generated);
    sent++;
    let answer: Answer;
    try {
      answer = await send(r);
    } catch (error) {
      throw new Error(`request ${sent} failed: ${(error as Error).message}\n${describeRequest(r)}`);
    }
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    const problem = problemWith(r, answer);
    if (problem) throw new Error(`request ${sent} ${problem}\n${describeRequest(r)}`);
    harvest(answer);
    if (!SAFE_METHODS.has(r.method) && answer.status < 400) await heal();
  };
  for (let pass = 0; pass < PASSES; pass++) {
    for (const [i, route] of targets.entries()) {
      await fc.assert(fc.asyncProperty(requestFor(route), check), { seed: (SEED + pass * targets.length + i) | 0, numRuns: runsPerRoute, endOnFailure: true });
    }
  }

  assert.ok(sent >= RUNS, `${sent} requests were sent`);
  console.log(`fuzz: ${sent} requests; answers by status: ${[...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(', ')}; tokens or sessions issued again: ${reissued}`);
});

test('after the fuzzing the server still answers, anonymously and with a token', async () => {
  await heal();
  const instance = await world.get(undefined, '/api/v1/instance');
  assert.equal(instance.status, 200);
  assert.equal(typeof instance.body.uri, 'string');
  const me = await world.request(undefined, 'GET', '/api/v1/accounts/verify_credentials', undefined, { authorization: `Bearer ${pools.token[0]}` });
  assert.equal(me.status, 200, JSON.stringify(me.body));
});
