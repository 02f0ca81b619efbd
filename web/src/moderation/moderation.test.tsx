import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFetchMock } from '../test/fetch-mock.ts';
import { AUTHOR_CAN, makeAccount, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';
import type { ReactionsDigest } from './moderation-api.ts';
import { hourlySeries } from './tone-chart.tsx';

const G = '/api/glimpse/v1';
const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });
const sam = makeAccount('sam', { id: '3' });
const ines = makeAccount('ines', { id: '1' });
/** A hidden comment's `glimpse.can` for the post's author reviewing it: not pinnable while hidden, deletable. */
const HIDDEN_COMMENT_CAN = { comment: true, pin: false, edit: false, delete: true };

function wordsBox() {
  return screen.getByLabelText('Your hidden words') as HTMLTextAreaElement;
}

describe('hidden words settings', () => {
  it('edits the list one word a line, counts it, and saves it with the default list', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', `${G}/hidden_words`, { body: { use_default_list: false, words: ['hypocrisy'] } });
    server.on('PUT', `${G}/hidden_words`, (call) => ({ body: call.body }));
    renderApp('/settings/hidden-words');

    await screen.findByLabelText('Your hidden words');
    expect(wordsBox().value).toBe('hypocrisy');
    expect(screen.getByText('1/1,000')).toBeTruthy();
    const checkbox = screen.getByLabelText('Hide comments with common offensive words') as HTMLInputElement;
    expect(checkbox.checked).toBe(false);

    fireEvent.click(checkbox);
    fireEvent.change(wordsBox(), { target: { value: 'hypocrisy\n  disgust \n\n🤡\nhypocrisy' } });
    expect(screen.getByText('3/1,000')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText(/^Saved\./)).toBeTruthy();
    const [call] = server.callsTo('PUT', `${G}/hidden_words`);
    expect(call.body).toEqual({ use_default_list: true, words: ['hypocrisy', 'disgust', '🤡'] });
    expect(call.headers.get('X-CSRF-Token')).toBe(CSRF);
    expect(wordsBox().value).toBe('hypocrisy\ndisgust\n🤡');
  });

  it('refuses more than 1,000 words or a word over 100 characters before sending, and shows the server refusal', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', `${G}/hidden_words`, { body: { use_default_list: true, words: [] } });
    server.on('PUT', `${G}/hidden_words`, { status: 422, body: { error: 'Validation failed: At most 1000 hidden words' } });
    renderApp('/settings/hidden-words');
    await screen.findByLabelText('Your hidden words');
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;

    fireEvent.change(wordsBox(), { target: { value: Array.from({ length: 1001 }, (_, i) => `w${i}`).join('\n') } });
    expect(screen.getByText('1,001/1,000')).toBeTruthy();
    expect(screen.getByText(/You can hide at most 1,000 words/)).toBeTruthy();
    expect(save.disabled).toBe(true);
    expect(wordsBox().getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(wordsBox(), { target: { value: `fine\n${'x'.repeat(101)}` } });
    expect(screen.getByText(/at most 100 characters/)).toBeTruthy();
    expect(save.disabled).toBe(true);

    fireEvent.change(wordsBox(), { target: { value: `fine\n${'x'.repeat(100)}` } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    expect((await screen.findByRole('alert')).textContent).toBe('Validation failed: At most 1000 hidden words');
    expect(server.callsTo('PUT', `${G}/hidden_words`)).toHaveLength(1);
  });
});

describe('comment settings', () => {
  it('saves who may comment on new posts by default', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', `${G}/settings`, { body: { default_comment_policy: 'everyone' } });
    server.on('PATCH', `${G}/settings`, (call) => ({ body: call.body }));
    renderApp('/settings/comments');
    const select = (await screen.findByLabelText('Who can comment')) as HTMLSelectElement;
    expect(screen.getByRole('link', { name: 'Comments' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Hidden words' })).toBeTruthy();
    fireEvent.change(select, { target: { value: 'followers_and_following' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(server.callsTo('PATCH', `${G}/settings`)[0].body).toEqual({ default_comment_policy: 'followers_and_following' });
  });
});

describe('hidden comments review', () => {
  it('lists hidden comments with their reason and un-hides one', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/statuses/70', { body: makeStatus(mara, { id: '70', can: AUTHOR_CAN }) });
    const hidden = [
      { ...makeStatus(sam, { id: '801', content: '<p>Really Ines? The hypocrisy and disgust!</p>', media_attachments: [], in_reply_to_id: '70' }), glimpse: { hide_like_count: false, like_count_hidden: false, comment_policy: 'everyone' as const, can: HIDDEN_COMMENT_CAN, hidden_reason: 'hidden_words' } },
      { ...makeStatus(sam, { id: '800', content: '<p>restricted words</p>', media_attachments: [], in_reply_to_id: '70' }), glimpse: { hide_like_count: false, like_count_hidden: false, comment_policy: 'everyone' as const, can: HIDDEN_COMMENT_CAN, hidden_reason: 'restricted' } },
    ];
    server.on('GET', `${G}/statuses/70/hidden_comments`, { body: hidden });
    server.on('POST', `${G}/comments/801/unhide`, { body: hidden[0] });
    renderApp('/@mara/70/hidden');

    const list = await screen.findByRole('list', { name: 'Hidden comments' });
    expect(within(list).getByText('Matched your hidden words')).toBeTruthy();
    expect(within(list).getByText('From a restricted account')).toBeTruthy();
    fireEvent.click(within(list).getAllByRole('button', { name: 'Unhide' })[0]);
    await waitFor(() => expect(screen.queryByText('Really Ines? The hypocrisy and disgust!')).toBeNull());
    expect(screen.getByText('restricted words')).toBeTruthy();
    expect(server.callsTo('POST', `${G}/comments/801/unhide`)[0].headers.get('X-CSRF-Token')).toBe(CSRF);
  });

  it('is not there for someone else', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/statuses/70', { body: makeStatus(mara, { id: '70' }) });
    server.on('GET', `${G}/statuses/70/hidden_comments`, { status: 404, body: { error: 'Record not found' } });
    renderApp('/@mara/70/hidden');
    expect(await screen.findByRole('heading', { name: /isn’t available/ })).toBeTruthy();
  });
});

const digest: ReactionsDigest = {
  comments_total: 8,
  hidden_total: 1,
  tone: { supportive: 2, critical: 1, question: 2, neutral: 3 },
  clusters: [{ text: 'Not Ines', count: 5 }],
  representative: {
    supportive: [{ ...makeStatus(ines, { id: '901', content: '<p>it shows how important it is to have conversations</p>', media_attachments: [] }) }],
    critical: [],
    question: [{ ...makeStatus(sam, { id: '902', content: '<p>Mara….why is Ines there????</p>', media_attachments: [] }) }],
  },
  over_time: [
    { at: '2025-05-01T10:00:00.000Z', supportive: 1, critical: 1, question: 1, neutral: 0 },
    { at: '2025-05-01T12:00:00.000Z', supportive: 1, critical: 0, question: 1, neutral: 3 },
  ],
};

describe('the reactions digest', () => {
  it('shows totals, the tone split, a chart of the hours, repeated phrases and quotes', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', '/api/v1/statuses/70', { body: makeStatus(mara, { id: '70', can: AUTHOR_CAN }) });
    server.on('GET', `${G}/statuses/70/reactions_digest`, { body: digest });
    const { container } = renderApp('/@mara/70/digest');

    await screen.findByRole('heading', { name: 'Reactions digest', level: 1 });
    const dd = (label: string) => [...container.querySelectorAll('.digest-total')].find((el) => el.querySelector('dt')?.textContent === label)?.querySelector('dd')?.textContent;
    expect(dd('Comments')).toBe('8');
    expect(dd('Hidden')).toBe('1');
    expect(dd('Visible')).toBe('7');

    // Two hours with comments and the empty hour between them.
    const chart = screen.getByRole('img', { name: /Comments per hour by tone/ });
    const buckets = chart.querySelectorAll('g.tone-bucket');
    expect(buckets).toHaveLength(3);
    expect(buckets[0].querySelectorAll('rect')).toHaveLength(3);
    expect(buckets[1].querySelectorAll('rect')).toHaveLength(0);
    expect(buckets[2].querySelectorAll('rect')).toHaveLength(3);
    const table = screen.getByRole('table', { hidden: true });
    expect(within(table).getAllByRole('row', { hidden: true })).toHaveLength(4);

    expect(screen.getByText('“Not Ines”')).toBeTruthy();
    expect(screen.getByText('5 comments')).toBeTruthy();
    expect(screen.getByText('Mara….why is Ines there????')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Critical' }).textContent).toContain('None yet.');
    const split = [...container.querySelectorAll('.tone-split-row')].map((row) => row.textContent);
    expect(split).toEqual(['Supportive2 (25%)', 'Critical1 (13%)', 'Questions2 (25%)', 'Neutral3 (38%)']);
  });

  it('fills the empty hours between buckets', () => {
    const series = hourlySeries([
      { at: '2025-05-01T12:00:00.000Z', supportive: 1, critical: 0, question: 0, neutral: 0 },
      { at: '2025-05-01T09:00:00.000Z', supportive: 0, critical: 2, question: 0, neutral: 0 },
    ]);
    expect(series.map((b) => b.at)).toEqual(['2025-05-01T09:00:00.000Z', '2025-05-01T10:00:00.000Z', '2025-05-01T11:00:00.000Z', '2025-05-01T12:00:00.000Z']);
    expect(series[0].critical).toBe(2);
  });

  it('is not there for someone else', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/statuses/70', { body: makeStatus(mara, { id: '70' }) });
    server.on('GET', `${G}/statuses/70/reactions_digest`, { status: 404, body: { error: 'Record not found' } });
    renderApp('/@mara/70/digest');
    expect(await screen.findByRole('heading', { name: /isn’t available/ })).toBeTruthy();
  });
});
