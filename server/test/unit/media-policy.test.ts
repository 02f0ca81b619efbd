import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type MediaFileFacts, canAttachMedia, isPublicMediaFile, mediaFileAccess, needsSignedMediaUrls } from '../../src/access/media-policy.ts';
import { exifDateToIso } from '../../src/domain/media/image-processor.ts';
import { parseFocus } from '../../src/domain/media/media-service.ts';

const owner = { suspended_at: null };
const attached = (visibility: 'public' | 'unlisted' | 'private' | 'direct', locked: boolean, suspendedAt: string | null = null): MediaFileFacts => ({
  purpose: 'attachment',
  owner: { suspended_at: suspendedAt },
  attachedTo: { post: { id: 'p', account_id: 'a', visibility }, author: { id: 'a', locked: locked ? 1 : 0, suspended_at: suspendedAt } },
});

describe('who may fetch a media file without a signature', () => {
  test('profile pictures and headers are public, even of a locked account', () => {
    assert.equal(isPublicMediaFile({ purpose: 'avatar', owner }), true);
    assert.equal(isPublicMediaFile({ purpose: 'header', owner }), true);
  });

  test('photos of public and unlisted posts of a public account are public', () => {
    assert.equal(isPublicMediaFile(attached('public', false)), true);
    assert.equal(isPublicMediaFile(attached('unlisted', false)), true);
  });

  test('photos of a locked account, of followers-only or direct posts, and unposted photos need a signature', () => {
    for (const facts of [attached('public', true), attached('unlisted', true), attached('private', false), attached('direct', false), { purpose: 'attachment' as const, owner }]) {
      assert.equal(isPublicMediaFile(facts), false, JSON.stringify(facts));
      assert.equal(needsSignedMediaUrls(facts), true);
    }
  });

  test('a valid signature serves privately, an invalid one never serves, none serves only public files', () => {
    assert.equal(mediaFileAccess(attached('private', false), 'valid'), 'private');
    assert.equal(mediaFileAccess(attached('public', false), 'invalid'), 'deny');
    assert.equal(mediaFileAccess(attached('public', false), 'absent'), 'public');
    assert.equal(mediaFileAccess(attached('private', false), 'absent'), 'deny');
    assert.equal(mediaFileAccess({ purpose: 'attachment', owner }, 'absent'), 'deny');
  });

  test("a suspended account's files are never served, with or without a signature", () => {
    const when = '2026-11-28T10:00:00.000Z';
    for (const signature of ['absent', 'valid'] as const) {
      assert.equal(mediaFileAccess(attached('public', false, when), signature), 'deny');
      assert.equal(mediaFileAccess({ purpose: 'avatar', owner: { suspended_at: when } }, signature), 'deny');
    }
  });
});

describe('media attribute and EXIF parsing', () => {
  test('capture dates: with an offset the exact instant, without one the wall-clock time, nonsense nothing', () => {
    assert.equal(exifDateToIso('2024:05:01 12:34:56', '+02:00'), '2024-05-01T10:34:56.000Z');
    assert.equal(exifDateToIso('2024:05:01 12:34:56', '-05:30'), '2024-05-01T18:04:56.000Z');
    assert.equal(exifDateToIso('2024:05:01 12:34:56', undefined), '2024-05-01T12:34:56.000Z');
    for (const bad of ['0000:00:00 00:00:00', '2023:02:31 10:00:00', 'yesterday', '    :  :     :  :  ', 42]) {
      assert.equal(exifDateToIso(bad, undefined), null, String(bad));
    }
  });

  test('focus is "x,y" with both in -1..1; anything else is a 422', () => {
    assert.deepEqual(parseFocus('0.5,-0.25'), { x: 0.5, y: -0.25 });
    assert.deepEqual(parseFocus(' -1 , 1 '), { x: -1, y: 1 });
    assert.deepEqual(parseFocus(undefined), { x: 0, y: 0 });
    for (const bad of ['1.01,0', '0', 'a,b', '0,0,0', 'NaN,0', 'Infinity,0']) {
      assert.throws(() => parseFocus(bad), (error: any) => error.status === 422, bad);
    }
  });
});

describe('attaching an upload reserved for a scheduled status', () => {
  const viewer = { accountId: 'a', role: 'user' as const };
  const reserved = { account_id: 'a', purpose: 'attachment' as const, status_id: null, scheduled_status_id: 's1' };

  test('only the scheduled status it is reserved for may attach it', () => {
    assert.equal(canAttachMedia(viewer, reserved, { forScheduled: 's1' }), true);
    assert.equal(canAttachMedia(viewer, reserved), false);
    assert.equal(canAttachMedia(viewer, reserved, { forScheduled: 's2' }), false);
    assert.equal(canAttachMedia(viewer, reserved, { inStory: false }), false);
  });

  test('an upload not reserved is attachable as before, for a scheduled status too', () => {
    const free = { ...reserved, scheduled_status_id: null };
    assert.equal(canAttachMedia(viewer, free), true);
    assert.equal(canAttachMedia(viewer, free, { forScheduled: 's1' }), true);
    assert.equal(canAttachMedia(viewer, { ...free, status_id: 'p' }, { forScheduled: 's1' }), false);
    assert.equal(canAttachMedia({ accountId: 'b', role: 'user' }, reserved, { forScheduled: 's1' }), false);
  });
});
