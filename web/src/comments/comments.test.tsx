import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Account, CommentPolicy, PostCapabilities } from '../api/mastodon-types.ts';
import { installFetchMock, type FetchMock } from '../test/fetch-mock.ts';
import { AUTHOR_CAN, makeAccount, makeRelationship, makeStatus } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs, signedOut } from '../test/render-app.tsx';
import type { CommentItem, CommentStatus } from './comments-api.ts';

const G = '/api/glimpse/v1';
const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });
const ines = makeAccount('ines', { id: '1' });
const sam = makeAccount('sam', { id: '3' });
const pat = makeAccount('pat', { id: '4' });

let nextComment = 5000;

/** A comment's `glimpse.can` for the post's author (pin: a top-level one), and for the comment's own author. */
const POST_AUTHOR_ON_COMMENT: PostCapabilities = { comment: true, pin: true, edit: false, delete: true };
const COMMENT_AUTHOR_CAN: PostCapabilities = { comment: true, pin: false, edit: true, delete: true };

/** A comment as the server presents it; `can` is the signed-in viewer's, a stranger's unless stated. */
function makeComment(author: Account, text: string, overrides: Partial<CommentStatus> & { postId?: string; threadId?: string; can?: Partial<PostCapabilities> } = {}): CommentStatus {
  const { postId = '70', threadId, can, ...rest } = overrides;
  const id = rest.id ?? String(nextComment++);
  const base = makeStatus(author, { media_attachments: [], content: `<p>${text}</p>`, in_reply_to_id: rest.in_reply_to_id ?? postId, can });
  return { ...base, id, ...rest, glimpse: { ...base.glimpse, post_id: postId, thread_id: threadId ?? id, pinned: false } };
}

function entry(status: CommentStatus, replies = 0, pinned = false): CommentItem {
  return { type: 'comment', status, replies_count: replies, pinned };
}

/** Post 70 by mara; `can` is the viewer's on it (the author's AUTHOR_CAN, else a stranger's). */
function servePost(server: FetchMock, options: { policy?: CommentPolicy; canComment?: boolean; can?: PostCapabilities; items?: CommentItem[]; repliesCount?: number } = {}) {
  const can = { ...(options.can ?? { comment: true, pin: false, edit: false, delete: false }), ...(options.canComment === undefined ? {} : { comment: options.canComment }) };
  const post = makeStatus(mara, { id: '70', replies_count: options.repliesCount ?? 3, glimpse: { post_id: null, thread_id: null, pinned: false, hide_like_count: false, like_count_hidden: false, comment_policy: options.policy ?? 'everyone', can } });
  server.on('GET', '/api/v1/statuses/70', { body: post });
  server.on('GET', `${G}/statuses/70/comments`, { body: { items: options.items ?? [], next_cursor: null } });
  return post;
}

function commentBox() {
  return screen.queryByRole('textbox', { name: 'Add a comment…' }) as HTMLTextAreaElement | null;
}

describe('the comment section', () => {
  it('shows single comments first, then one collapsed "similar comments" section whose clusters page all their comments', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2', { following: true })] });
    const similar = {
      count: 12503,
      clusters: [
        { id: 'Tm90SW5lcw', text: 'Not Ines', count: 12403, accounts: 800, tone: 'critical', hostile: true },
        { id: 'UXVlZW4', text: 'Queen', count: 100, accounts: 90, tone: 'supportive', hostile: false },
      ],
    };
    servePost(server, { items: [entry(makeComment(pat, 'So lovely'))] });
    server.on('GET', `${G}/statuses/70/comments`, { body: { items: [entry(makeComment(pat, 'So lovely'))], next_cursor: null, similar } });
    const first = [makeComment(sam, 'Queen'), makeComment(pat, 'queen!!')];
    server.on('GET', `${G}/statuses/70/clusters/UXVlZW4/comments`, (call) =>
      call.url.searchParams.get('max_id') === '10'
        ? { body: [makeComment(mara, 'QUEEN 👑')] }
        : { body: first, headers: { Link: `<http://localhost${G}/statuses/70/clusters/UXVlZW4/comments?limit=40&max_id=10>; rel="next"` } },
    );
    renderApp('/@mara/70');

    const comments = await screen.findByRole('list', { name: 'Comments' });
    expect(within(comments).getByText('So lovely')).toBeTruthy();
    const section = screen.getByRole('region', { name: 'Similar comments' });
    // The conversation comes before the section.
    expect(comments.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const toggle = within(section).getByRole('button', { name: '12,503 similar comments' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText(/Not Ines/)).toBeNull();
    fireEvent.click(toggle);

    // Largest first; the hostile one muted, its words behind "Show".
    const groups = within(section).getAllByRole('listitem');
    expect(groups[0].textContent).toContain('Hostile comments · 12,403 comments');
    expect(groups[0].textContent).not.toContain('Not Ines');
    expect(groups[1].textContent).toContain('“Queen” · 100 comments');
    fireEvent.click(within(groups[0]).getByRole('button', { name: 'Show' }));
    expect(groups[0].textContent).toContain('“Not Ines” · 12,403 comments');
    // Not the author: no bulk actions.
    expect(screen.queryByRole('button', { name: 'Hide all' })).toBeNull();

    fireEvent.click(within(groups[1]).getByRole('button', { name: 'View all' }));
    const list = await screen.findByRole('list', { name: 'Comments like “Queen”' });
    expect(await within(list).findByText('queen!!')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /More of these/ }));
    expect(await within(list).findByText('QUEEN 👑')).toBeTruthy();
    expect(within(list).getAllByRole('button', { name: 'Like comment' })).toHaveLength(3);
    expect(server.callsTo('GET', `${G}/statuses/70/clusters/UXVlZW4/comments`).map((c) => c.url.searchParams.get('max_id'))).toEqual([null, '10']);
    expect(server.callsTo('GET', `${G}/statuses/70/comments`)[0].url.searchParams.get('sort')).toBe('top');
  });

  it('gives the post author bulk actions on a cluster: hide all (until done), restrict every author, report', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    const similar = { count: 2500, clusters: [{ id: 'Tm90SW5lcw', text: 'Not Ines', count: 2500, accounts: 8, tone: 'critical', hostile: true }] };
    servePost(server, { can: AUTHOR_CAN });
    server.on('GET', `${G}/statuses/70/comments`, { body: { items: [], next_cursor: null, similar } });
    server.on('GET', `${G}/statuses/70/hidden_comments`, { body: [] });
    server.on('POST', `${G}/statuses/70/clusters/Tm90SW5lcw/restrict`, { body: { comments: 2000, accounts: 8, next_max_id: null } });
    server.on('POST', `${G}/statuses/70/clusters/Tm90SW5lcw/report`, { body: { comments: 2000, accounts: 8, next_max_id: null } });
    server.on('POST', `${G}/statuses/70/clusters/Tm90SW5lcw/hide`, (call) =>
      (call.body as { max_id?: string } | undefined)?.max_id ? { body: { comments: 500, accounts: 3, next_max_id: null } } : { body: { comments: 2000, accounts: 8, next_max_id: '99' } },
    );
    renderApp('/@mara/70');

    fireEvent.click(await screen.findByRole('button', { name: '2,500 similar comments' }));
    fireEvent.click(screen.getByRole('button', { name: 'Restrict every author' }));
    expect(await screen.findByText('8 accounts restricted.')).toBeTruthy();
    // Report asks why, as for one comment, and sends the storm's phrase with the note.
    fireEvent.click(screen.getByRole('button', { name: 'Report' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Report every author of these comments' }));
    fireEvent.change(dialog.getByLabelText('Why are you reporting it?'), { target: { value: 'spam' } });
    fireEvent.change(dialog.getByLabelText('Anything the moderators should know?'), { target: { value: 'eight accounts, all new' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText('8 accounts reported to the moderators.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.callsTo('POST', `${G}/statuses/70/clusters/Tm90SW5lcw/report`)[0].body).toEqual({ category: 'spam', comment: 'A storm of similar comments: “Not Ines”\n\neight accounts, all new' });
    fireEvent.click(screen.getByRole('button', { name: 'Hide all' }));
    // Hidden, the cluster leaves the section, and the section with it.
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Similar comments' })).toBeNull());
    expect(server.callsTo('POST', `${G}/statuses/70/clusters/Tm90SW5lcw/hide`).map((c) => (c.body as { max_id?: string }).max_id)).toEqual([undefined, '99']);
  });

  it('renders "Newest" in the order the server gives, the newest first', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    servePost(server);
    server.on('GET', `${G}/statuses/70/comments`, (call) =>
      call.url.searchParams.get('sort') === 'newest'
        ? { body: { items: [entry(makeComment(pat, 'the latest', { id: '9003' })), entry(makeComment(sam, 'the earliest', { id: '9001' }))], next_cursor: null, similar: null } }
        : { body: { items: [entry(makeComment(sam, 'the earliest', { id: '9001' })), entry(makeComment(pat, 'the latest', { id: '9003' }))], next_cursor: null, similar: null } },
    );
    renderApp('/@mara/70');
    await screen.findByText('the earliest');
    fireEvent.click(screen.getByRole('button', { name: 'Newest' }));
    await waitFor(() => {
      const rows = within(screen.getByRole('list', { name: 'Comments' })).getAllByRole('listitem');
      expect(rows.map((r) => r.querySelector('.comment-content')?.textContent)).toEqual(['the latest', 'the earliest']);
    });
  });

  it('opens a thread, prefills a reply to a reply, and posts it into that thread', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    const top = makeComment(sam, 'Where was this?');
    const answer = makeComment(pat, 'At the lake', { in_reply_to_id: top.id, threadId: top.id });
    servePost(server, { items: [entry(top, 1)] });
    server.on('GET', `${G}/comments/${top.id}/replies`, { body: { items: [answer], next_cursor: null } });
    let created: CommentStatus | null = null;
    server.on('POST', '/api/v1/statuses', (call) => {
      const body = call.body as { status: string; in_reply_to_id: string };
      created = makeComment(ines, body.status, { in_reply_to_id: body.in_reply_to_id, threadId: top.id, can: COMMENT_AUTHOR_CAN });
      return { body: created };
    });
    renderApp('/@mara/70');

    fireEvent.click(await screen.findByRole('button', { name: 'View 1 reply' }));
    const replies = await screen.findByRole('list', { name: 'Replies to sam' });
    expect(within(replies).getByText('At the lake')).toBeTruthy();

    fireEvent.click(within(replies).getByRole('button', { name: 'Reply' }));
    expect(commentBox()!.value).toBe('@pat ');
    expect(screen.getByText('Replying to @pat')).toBeTruthy();

    fireEvent.change(commentBox()!, { target: { value: '@pat thank you!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post' }));

    await waitFor(() => expect(within(replies).getByText('@pat thank you!')).toBeTruthy());
    const [call] = server.callsTo('POST', '/api/v1/statuses');
    expect(call.body).toEqual({ status: '@pat thank you!', in_reply_to_id: answer.id });
    expect(call.headers.get('X-CSRF-Token')).toBe(CSRF);
    expect(call.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{32}$/);
    expect(commentBox()!.value).toBe('');
    expect(screen.queryByText('Replying to @pat')).toBeNull();
    expect(screen.getByRole('button', { name: 'Hide replies' })).toBeTruthy();
  });

  it('posts a plain comment to the post and shows it first', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    servePost(server, { items: [entry(makeComment(sam, 'Older one'))] });
    server.on('POST', '/api/v1/statuses', (call) => ({ body: makeComment(ines, (call.body as { status: string }).status, { can: COMMENT_AUTHOR_CAN }) }));
    renderApp('/@mara/70');

    await screen.findByText('Older one');
    const box = commentBox()!;
    fireEvent.change(box, { target: { value: 'Beautiful ❤️' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await screen.findByText('Beautiful ❤️');
    expect(server.callsTo('POST', '/api/v1/statuses')[0].body).toEqual({ status: 'Beautiful ❤️', in_reply_to_id: '70' });
    const items = screen.getByRole('list', { name: 'Comments' }).querySelectorAll(':scope > li');
    expect(items[0].textContent).toContain('Beautiful ❤️');
  });

  it('shows the comment box only when the server says the viewer may comment (glimpse.can.comment), and closes it after a refusal', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    servePost(server, { policy: 'followers', canComment: false });
    const { unmount } = renderApp('/@mara/70');
    expect(await screen.findByText('Comments are limited on this post.')).toBeTruthy();
    expect(commentBox()).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reply' })).toBeNull();
    unmount();

    // A follower may; then the author narrows it meanwhile and the server says no.
    const again = installFetchMock();
    signedInAs(again, ines);
    servePost(again, { policy: 'followers', canComment: true });
    again.on('POST', '/api/v1/statuses', { status: 403, body: { error: 'Comments on this post are limited' } });
    renderApp('/@mara/70');
    await waitFor(() => expect(commentBox()).not.toBeNull());
    fireEvent.change(commentBox()!, { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post' }));
    expect(await screen.findByText('Comments are limited on this post.')).toBeTruthy();
    expect(commentBox()).toBeNull();
  });

  it('asks a signed-out visitor to log in instead of showing the box', async () => {
    const server = installFetchMock();
    signedOut(server);
    servePost(server, { items: [entry(makeComment(sam, 'Hi'))] });
    renderApp('/@mara/70');
    await screen.findByText('Hi');
    expect(commentBox()).toBeNull();
    expect(screen.getByText(/to add a comment/).querySelector('a')?.getAttribute('href')).toBe('/login');
    expect(screen.queryByRole('button', { name: 'Like comment' })).toBeNull();
  });

  it('likes a comment at once and shows the pinned badge', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    const pinned = makeComment(sam, 'Pinned words');
    servePost(server, { items: [entry(pinned, 0, true)] });
    server.on('POST', `/api/v1/statuses/${pinned.id}/favourite`, { body: { ...pinned, favourited: true, favourites_count: 3 } });
    renderApp('/@mara/70');

    await screen.findByText('Pinned words');
    expect(screen.getByText('Pinned')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Like comment' }));
    expect(screen.getByRole('button', { name: 'Unlike comment' }).getAttribute('aria-pressed')).toBe('true');
    expect(await screen.findByText('3 likes')).toBeTruthy();
  });

  it('gives the post author Pin, Delete and Restrict, and others Report', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    const comment = makeComment(sam, 'Mara….why is Ines there????', { can: POST_AUTHOR_ON_COMMENT });
    servePost(server, { can: AUTHOR_CAN, items: [entry(comment)] });
    server.on('GET', `${G}/statuses/70/hidden_comments`, { body: [makeComment(pat, 'hidden one', { can: { delete: true } })] });
    server.on('GET', `${G}/restrictions`, { body: [{ id: sam.id, restricting: false }] });
    server.on('POST', `${G}/accounts/${sam.id}/restrict`, { body: { id: sam.id, restricting: true } });
    server.on('POST', `${G}/statuses/70/comments/${comment.id}/pin`, { status: 422, body: { error: 'Validation failed: At most 3 comments can be pinned' } });
    renderApp('/@mara/70');

    // The author's tools.
    expect(await screen.findByRole('link', { name: 'Hidden comments (1)' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Reactions digest' }).getAttribute('href')).toBe('/@mara/70/digest');

    fireEvent.click(await screen.findByRole('button', { name: 'Comment options' }));
    const comments = screen.getByRole('list', { name: 'Comments' });
    expect(within(comments).getByRole('button', { name: 'Pin' })).toBeTruthy();
    expect(within(comments).getByRole('button', { name: 'Delete' })).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Restrict @sam' }));
    const notice = await screen.findByText(/@sam is restricted/);
    // The notice has a line of its own under the row, not a place in its row of buttons.
    expect(notice.closest('.comment-meta')).toBeNull();
    expect(notice.closest('.comment-main')).toBeTruthy();
    expect(server.callsTo('POST', `${G}/accounts/${sam.id}/restrict`)).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'Comment options' }));
    expect(screen.getByRole('button', { name: 'Unrestrict @sam' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pin' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Validation failed: At most 3 comments can be pinned');
  });

  it('lets someone else report a comment with a category and a note', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    const comment = makeComment(sam, 'nasty words');
    servePost(server, { items: [entry(comment)] });
    server.on('POST', '/api/v1/reports', { body: { id: '900' } });
    renderApp('/@mara/70');

    fireEvent.click(await screen.findByRole('button', { name: 'Comment options' }));
    expect(screen.queryByRole('button', { name: 'Pin' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Restrict/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Report' }));
    const dialog = screen.getByRole('dialog', { name: 'Report comment' });
    fireEvent.change(within(dialog).getByLabelText('Why are you reporting it?'), { target: { value: 'spam' } });
    fireEvent.change(within(dialog).getByLabelText('Anything the moderators should know?'), { target: { value: 'bots' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText(/Your report was sent/)).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(server.callsTo('POST', '/api/v1/reports')[0].body).toEqual({ account_id: sam.id, status_ids: [comment.id], comment: 'bots', category: 'spam' });
  });

  it("shows Pin and Delete exactly when the comment's glimpse.can says so, whoever the viewer is", async () => {
    const server = installFetchMock();
    // pat wrote neither the post nor these comments: what the menu offers is the server's answer.
    signedInAs(server, pat);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    const deletable = makeComment(sam, 'may delete', { can: { delete: true } });
    const pinnable = makeComment(sam, 'may pin', { can: { pin: true } });
    const neither = makeComment(sam, 'may neither');
    const own = makeComment(pat, 'my own', { can: COMMENT_AUTHOR_CAN });
    servePost(server, { items: [entry(deletable), entry(pinnable), entry(neither), entry(own)] });
    server.on('DELETE', `/api/v1/statuses/${deletable.id}`, { body: deletable });
    renderApp('/@mara/70');
    await screen.findByText('may delete');

    const openMenu = (text: string) => {
      const row = screen.getByText(text).closest('li')!;
      fireEvent.click(within(row).getByRole('button', { name: 'Comment options' }));
      const offered = (name: string) => within(row).queryByRole('button', { name }) !== null;
      return { row, pin: offered('Pin'), delete: offered('Delete'), report: offered('Report'), restrict: within(row).queryByRole('button', { name: /Restrict/ }) !== null };
    };
    expect(openMenu('may pin')).toMatchObject({ pin: true, delete: false, report: true, restrict: false });
    expect(openMenu('may neither')).toMatchObject({ pin: false, delete: false, report: true, restrict: false });
    expect(openMenu('my own')).toMatchObject({ pin: false, delete: true, report: false, restrict: false });
    const menu = openMenu('may delete');
    expect(menu).toMatchObject({ pin: false, delete: true, report: true, restrict: false });

    fireEvent.click(within(menu.row).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(menu.row).getByRole('button', { name: 'Delete comment' }));
    await waitFor(() => expect(screen.queryByText('may delete')).toBeNull());
    expect(server.callsTo('DELETE', `/api/v1/statuses/${deletable.id}`)).toHaveLength(1);
  });

  it("does not offer the post's author Pin or Delete on a comment the server says she may not", async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    const reply = makeComment(sam, 'not for pinning', { can: { pin: false, delete: false } });
    servePost(server, { can: AUTHOR_CAN, items: [entry(reply)] });
    server.on('GET', `${G}/statuses/70/hidden_comments`, { body: [] });
    server.on('GET', `${G}/restrictions`, { body: [{ id: sam.id, restricting: false }] });
    renderApp('/@mara/70');

    fireEvent.click(await screen.findByRole('button', { name: 'Comment options' }));
    const comments = screen.getByRole('list', { name: 'Comments' });
    expect(within(comments).queryByRole('button', { name: 'Pin' })).toBeNull();
    expect(within(comments).queryByRole('button', { name: 'Delete' })).toBeNull();
    // Restrict is about sam's comments on all of mara's posts, not a capability on this one.
    expect(await within(comments).findByRole('button', { name: 'Restrict @sam' })).toBeTruthy();
  });

  it("lets the author change who can comment on the post", async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    const post = servePost(server, { can: AUTHOR_CAN, items: [] });
    server.on('GET', `${G}/statuses/70/hidden_comments`, { body: [] });
    server.on('PUT', '/api/v1/statuses/70', (call) => ({ body: { ...post, glimpse: { ...post.glimpse, comment_policy: (call.body as { comment_policy: string }).comment_policy } } }));
    renderApp('/@mara/70');

    const select = (await screen.findByLabelText('Who can comment')) as HTMLSelectElement;
    expect(select.value).toBe('everyone');
    fireEvent.change(select, { target: { value: 'followers' } });
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(server.callsTo('PUT', '/api/v1/statuses/70')[0].body).toEqual({ comment_policy: 'followers' });
    expect(select.value).toBe('followers');
    // The author may always comment on their own post.
    expect(commentBox()).not.toBeNull();
  });

  it('loads more comments with the cursor', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/accounts/relationships', { body: [makeRelationship('2')] });
    servePost(server);
    server.on('GET', `${G}/statuses/70/comments`, (call) =>
      call.url.searchParams.get('cursor') === 'c2'
        ? { body: { items: [entry(makeComment(pat, 'second page'))], next_cursor: null } }
        : { body: { items: [entry(makeComment(sam, 'first page'))], next_cursor: 'c2' } },
    );
    renderApp('/@mara/70');
    await screen.findByText('first page');
    fireEvent.click(screen.getByRole('button', { name: 'Load more comments' }));
    expect(await screen.findByText('second page')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more comments' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Newest' }));
    await waitFor(() => expect(server.callsTo('GET', `${G}/statuses/70/comments`).at(-1)!.url.searchParams.get('sort')).toBe('newest'));
  });
});

describe('comments under a feed card', () => {
  it('links to all comments and shows the first two single comments, never a cluster', async () => {
    const server = installFetchMock();
    signedInAs(server, ines);
    server.on('GET', '/api/v1/timelines/home', { body: [makeStatus(mara, { id: '70', replies_count: 12 })] });
    server.on('GET', `${G}/statuses/70/comments`, {
      body: {
        items: [entry(makeComment(sam, 'Lovely')), entry(makeComment(pat, 'second')), entry(makeComment(pat, 'third'))],
        next_cursor: null,
        similar: { count: 5, clusters: [{ id: 'Tm90SW5lcw', text: 'Not Ines', count: 5, accounts: 5, tone: 'critical', hostile: true }] },
      },
    });
    renderApp('/');
    const card = await screen.findByRole('article', { name: 'Mara' });
    expect(within(card).getByRole('link', { name: 'View all 12 comments' }).getAttribute('href')).toBe('/@mara/70');
    expect(await within(card).findByText('Lovely')).toBeTruthy();
    expect(within(card).getByText('second')).toBeTruthy();
    expect(within(card).queryByText('third')).toBeNull();
    expect(within(card).queryByText(/Not Ines/)).toBeNull();
  });
});

describe('the composer', () => {
  it('starts from the account default of who can comment', async () => {
    const server = installFetchMock();
    signedInAs(server, mara);
    server.on('GET', `${G}/settings`, { body: { default_comment_policy: 'followers' } });
    renderApp('/compose');
    const select = (await screen.findByLabelText('Who can comment')) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('followers'));
  });
});
