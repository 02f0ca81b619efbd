import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ScheduledStatus } from '../api/mastodon-types.ts';
import { installFetchMock, type FetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import { installXhrMock } from '../test/xhr-mock.ts';
import { earliestScheduleTime, formatScheduledTime, localInputToIso, toLocalInputValue } from './scheduled-api.ts';

const me = makeAccount('mara', { id: '1', display_name: 'Mara' });

// Cropping draws on a canvas, which happy-dom lacks: the crop gives back a photo of the same bytes.
vi.mock('../ui/crop-math.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../ui/crop-math.ts')>()),
  renderCrop: async () => new Blob(['photo'], { type: 'image/jpeg' }),
}));

function makeScheduled(overrides: Partial<ScheduledStatus> = {}): ScheduledStatus {
  return {
    id: '500',
    scheduled_at: new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/:\d\d\.\d+Z$/, ':00.000Z'),
    params: { text: 'Birthday cake 🎂', media_ids: ['m1', 'm2'], visibility: 'public', in_reply_to_id: null },
    media_attachments: [makeMedia('m1', { description: 'A cake' }), makeMedia('m2', { description: 'Candles' })],
    ...overrides,
  };
}

async function composeWithPhoto(server: FetchMock) {
  const xhr = installXhrMock();
  signedInAs(server, me);
  renderApp('/compose');
  await screen.findByRole('heading', { name: 'New post', level: 1 });
  fireEvent.change(screen.getByLabelText('Add photos'), { target: { files: [new File([new Uint8Array([0xff, 0xd8, 0xff])], 'cake.jpg', { type: 'image/jpeg' })] } });
  // The crop step, taken as it comes (square, no filter).
  await act(async () => {
    fireEvent.click(await screen.findByRole('button', { name: 'Add photo' }));
  });
  await waitFor(() => expect(xhr.requests.length).toBe(1));
  xhr.requests[0].respond(200, makeMedia('m1'));
  await waitFor(() => expect((screen.getByRole('button', { name: 'Share' }) as HTMLButtonElement).disabled).toBe(false));
  fireEvent.change(screen.getByLabelText('Caption'), { target: { value: 'Birthday cake 🎂' } });
}

describe('scheduling a post from the composer', () => {
  it('offers a time from five minutes on, sends it as UTC and lands on the scheduled posts, which list it', async () => {
    const server = installFetchMock();
    await composeWithPhoto(server);
    const before = Date.now();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Schedule' }));
    const when = screen.getByLabelText('Date and time') as HTMLInputElement;
    expect(when.type).toBe('datetime-local');
    // An hour from now is proposed; nothing earlier than five minutes from now can be picked.
    expect(Date.parse(localInputToIso(when.value)!)).toBeGreaterThanOrEqual(before + 60 * 60_000 - 60_000);
    expect(when.min).toBe(toLocalInputValue(earliestScheduleTime()));
    expect(Date.parse(localInputToIso(when.min)!)).toBeGreaterThanOrEqual(before + 5 * 60_000 - 1);
    expect(screen.getByText(/^In your time zone \(.+\), at least 5 minutes from now\.$/)).toBeTruthy();

    const chosen = new Date(Date.now() + 3 * 86_400_000);
    chosen.setHours(10, 30, 0, 0);
    fireEvent.change(when, { target: { value: toLocalInputValue(chosen) } });
    const scheduled = makeScheduled({ id: '501', scheduled_at: chosen.toISOString(), media_attachments: [makeMedia('m1', { description: 'A cake' })] });
    server.on('POST', '/api/v1/statuses', { body: scheduled });
    // The list as the server has it may not have caught up yet: the new one is listed anyway.
    server.on('GET', '/api/v1/scheduled_statuses', { body: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule post' }));

    await waitFor(() => expect(screen.getByTestId('current-path').textContent).toBe('/settings/scheduled'));
    const [create] = server.callsTo('POST', '/api/v1/statuses');
    expect(create.body).toEqual({ status: 'Birthday cake 🎂', media_ids: ['m1'], hide_like_count: false, comment_policy: 'everyone', scheduled_at: chosen.toISOString() });
    expect((create.body as { scheduled_at: string }).scheduled_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    expect(create.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);

    expect(await screen.findByText(`Your post is scheduled for ${formatScheduledTime(chosen.toISOString())}.`)).toBeTruthy();
    const row = within(await screen.findByRole('list', { name: 'Your scheduled posts' })).getByRole('listitem', { name: `Posts on ${formatScheduledTime(chosen.toISOString())}` });
    expect(within(row).getByText('Birthday cake 🎂')).toBeTruthy();
    expect(within(row).getByRole('img', { name: 'A cake' })).toBeTruthy();
  });

  it('shows the server’s refusal where the composer shows errors, and checks the time before sending', async () => {
    const server = installFetchMock();
    await composeWithPhoto(server);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Schedule' }));
    const when = screen.getByLabelText('Date and time') as HTMLInputElement;

    fireEvent.change(when, { target: { value: toLocalInputValue(new Date(Date.now() + 60_000)) } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule post' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a time at least 5 minutes from now.');
    fireEvent.change(when, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule post' }));
    expect(screen.getByRole('alert').textContent).toBe('Choose a date and time to post.');
    expect(server.callsTo('POST', '/api/v1/statuses')).toHaveLength(0);

    server.on('POST', '/api/v1/statuses', { status: 422, body: { error: 'Validation failed: Scheduled at You have exceeded the limit of 25 scheduled posts for that day' } });
    fireEvent.change(when, { target: { value: toLocalInputValue(new Date(Date.now() + 86_400_000)) } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule post' }));
    expect((await screen.findByText('Validation failed: Scheduled at You have exceeded the limit of 25 scheduled posts for that day')).getAttribute('role')).toBe('alert');
    expect(screen.getByTestId('current-path').textContent).toBe('/compose');

    // Unticked, it shares now, without a time.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Schedule' }));
    expect(screen.queryByLabelText('Date and time')).toBeNull();
    expect(screen.getByRole('button', { name: 'Share' })).toBeTruthy();
  });
});

describe('the scheduled posts page', () => {
  it('is linked from the settings menu and lists each post with its time, caption and photos', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/blocks', { body: [] });
    const item = makeScheduled();
    server.on('GET', '/api/v1/scheduled_statuses', { body: [item, makeScheduled({ id: '502', params: { text: '', media_ids: ['m3'] }, media_attachments: [makeMedia('m3')] })] });

    renderApp('/settings/blocked');
    fireEvent.click(within(await screen.findByRole('navigation', { name: 'Settings' })).getByRole('link', { name: 'Scheduled posts' }));
    expect(await screen.findByRole('heading', { name: 'Scheduled posts', level: 1 })).toBeTruthy();

    const rows = within(await screen.findByRole('list', { name: 'Your scheduled posts' })).getAllByRole('listitem', { name: /^Posts on / });
    expect(rows).toHaveLength(2);
    const time = rows[0].querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe(item.scheduled_at);
    expect(time.textContent).toBe(formatScheduledTime(item.scheduled_at));
    expect(within(rows[0]).getByText('Birthday cake 🎂')).toBeTruthy();
    const photos = within(rows[0]).getByRole('list', { name: '2 photos' });
    expect(within(photos).getByRole('img', { name: 'A cake' }).getAttribute('src')).toBe(item.media_attachments[0].preview_url);
    expect(within(rows[1]).getByText('No caption')).toBeTruthy();
  });

  it('reschedules a post to a new time (PUT scheduled_at in UTC) and shows a refusal as the server says it', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const item = makeScheduled();
    server.on('GET', '/api/v1/scheduled_statuses', { body: [item] });
    const next = new Date(Date.now() + 5 * 86_400_000);
    next.setHours(8, 15, 0, 0);
    // Later routes win: the first PUT is refused, the second accepted.
    server.on('PUT', '/api/v1/scheduled_statuses/500', (call) => ({ body: { ...item, scheduled_at: (call.body as { scheduled_at: string }).scheduled_at } }));
    server.once('PUT', '/api/v1/scheduled_statuses/500', { status: 422, body: { error: 'Validation failed: Scheduled at You have exceeded the limit of 25 scheduled posts for that day' } });

    renderApp('/settings/scheduled');
    const row = await screen.findByRole('listitem', { name: `Posts on ${formatScheduledTime(item.scheduled_at)}` });
    fireEvent.click(within(row).getByRole('button', { name: 'Reschedule' }));
    const input = within(row).getByLabelText('New date and time') as HTMLInputElement;
    expect(input.value).toBe(toLocalInputValue(new Date(item.scheduled_at)));
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: toLocalInputValue(next) } });
    fireEvent.click(within(row).getByRole('button', { name: 'Save' }));
    expect((await within(row).findByRole('alert')).textContent).toBe('Validation failed: Scheduled at You have exceeded the limit of 25 scheduled posts for that day');

    fireEvent.click(within(row).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(row).queryByLabelText('New date and time')).toBeNull());
    expect(row.querySelector('time')!.getAttribute('datetime')).toBe(next.toISOString());
    expect(screen.getByText(`Rescheduled for ${formatScheduledTime(next.toISOString())}.`)).toBeTruthy();
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Reschedule' }));
    const puts = server.callsTo('PUT', '/api/v1/scheduled_statuses/500');
    expect(puts).toHaveLength(2);
    expect(puts[1].body).toEqual({ scheduled_at: next.toISOString() });
    expect(puts[1].headers.get('X-CSRF-Token')).toBe(CSRF);
  });

  it('deletes a scheduled post only after confirming', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/scheduled_statuses', { body: [makeScheduled()] });
    server.on('DELETE', '/api/v1/scheduled_statuses/500', { body: {} });

    renderApp('/settings/scheduled');
    const row = await screen.findByRole('listitem', { name: /^Posts on / });
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    const confirm = within(row).getByRole('group', { name: 'Delete this scheduled post?' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Delete scheduled post' }));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Delete' }));
    expect(server.callsTo('DELETE', '/api/v1/scheduled_statuses/500')).toHaveLength(0);

    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Delete scheduled post' }));
    expect(await screen.findByRole('heading', { name: 'No scheduled posts' })).toBeTruthy();
    expect(screen.getByText('The scheduled post was deleted.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Scheduled posts', level: 1 }));
    expect(server.callsTo('DELETE', '/api/v1/scheduled_statuses/500')).toHaveLength(1);
  });
});
