import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Filter } from '../api/mastodon-types.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount } from '../test/fixtures.ts';
import { CSRF, renderApp, signedInAs } from '../test/render-app.tsx';

const me = makeAccount('ines', { id: '1', display_name: 'Ines' });

function makeFilter(overrides: Partial<Filter> = {}): Filter {
  return {
    id: '31',
    title: 'Spoilers',
    context: ['home', 'public'],
    expires_at: null,
    filter_action: 'warn',
    keywords: [{ id: '301', keyword: 'finale', whole_word: true }],
    statuses: [],
    ...overrides,
  };
}

const form = (name: string | RegExp) => screen.getByRole('form', { name });

describe('Settings → Filters', () => {
  it('is linked from the settings menu and lists each filter with its keywords, places, action and expiry', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/blocks', { body: [] });
    server.on('GET', '/api/v2/filters', {
      body: [
        makeFilter({ keywords: [{ id: '301', keyword: 'finale', whole_word: true }, { id: '302', keyword: 'ending', whole_word: false }] }),
        makeFilter({ id: '32', title: 'Old news', context: ['notifications'], filter_action: 'blur', expires_at: '2020-01-01T00:00:00.000Z', keywords: [{ id: '303', keyword: 'election', whole_word: false }] }),
      ],
    });

    renderApp('/settings/blocked');
    fireEvent.click(within(await screen.findByRole('navigation', { name: 'Settings' })).getByRole('link', { name: 'Filters' }));
    expect(await screen.findByRole('heading', { name: 'Filters', level: 1 })).toBeTruthy();
    expect(screen.getByTestId('current-path').textContent).toBe('/settings/filters');

    const list = await screen.findByRole('list', { name: 'Your filters' });
    const spoilers = within(list).getByRole('listitem', { name: 'Spoilers' });
    expect(spoilers.textContent).toContain('finale (whole word), ending');
    expect(spoilers.textContent).toContain('Home and lists, Public timelines');
    expect(spoilers.textContent).toContain('Hide with a warning');
    expect(spoilers.textContent).toMatch(/ExpiresNever/);
    const old = within(list).getByRole('listitem', { name: 'Old news' });
    expect(within(old).getByText('Expired', { selector: '.pill' })).toBeTruthy();
    expect(old.textContent).toContain('Blur photos');
    expect(old.textContent).toContain('Notifications');
  });

  it('creates a filter with keywords, whole-word choices, places, action and expiry, and lists it', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v2/filters', { body: [] });
    server.on('POST', '/api/v2/filters', (call) => {
      const body = call.body as { title: string; context: Filter['context']; filter_action: Filter['filter_action']; keywords_attributes: Array<{ keyword: string; whole_word: boolean }> };
      return {
        body: makeFilter({
          id: '40',
          title: body.title,
          context: body.context,
          filter_action: body.filter_action,
          expires_at: new Date(Date.now() + 86_400_000).toISOString(),
          keywords: body.keywords_attributes.map((k, i) => ({ id: `40${i}`, keyword: k.keyword, whole_word: k.whole_word })),
        }),
      };
    });

    renderApp('/settings/filters');
    expect(await screen.findByText('No filters yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'New filter' }));
    const newForm = form('New filter');
    expect(document.activeElement).toBe(within(newForm).getByLabelText('Title'));

    fireEvent.change(within(newForm).getByLabelText('Title'), { target: { value: 'Spoilers' } });
    fireEvent.change(within(newForm).getByLabelText('Keyword 1'), { target: { value: 'finale' } });
    fireEvent.click(within(newForm).getByRole('button', { name: 'Add keyword' }));
    const second = within(newForm).getByLabelText('Keyword 2');
    expect(document.activeElement).toBe(second);
    fireEvent.change(second, { target: { value: ' season 3 ' } });
    fireEvent.click(within(newForm).getByRole('checkbox', { name: 'Keyword 2: whole word' }));
    // Every place is chosen to begin with; this one filters only where posts are read.
    fireEvent.click(within(newForm).getByRole('checkbox', { name: 'Notifications' }));
    fireEvent.click(within(newForm).getByRole('checkbox', { name: 'Profiles' }));
    fireEvent.click(within(newForm).getByRole('radio', { name: 'Blur photos' }));
    const expiry = within(newForm).getByLabelText('Expires after') as HTMLSelectElement;
    expect(Array.from(expiry.options).map((o) => o.textContent)).toEqual(['Never', '1 hour', '1 day', '1 week', '1 month']);
    fireEvent.change(expiry, { target: { value: '86400' } });
    fireEvent.click(within(newForm).getByRole('button', { name: 'Create filter' }));

    const list = await screen.findByRole('list', { name: 'Your filters' });
    const row = within(list).getByRole('listitem', { name: 'Spoilers' });
    expect(row.textContent).toContain('finale (whole word), season 3');
    expect(row.textContent).toContain('Home and lists, Public timelines, Conversations and threads');
    expect(row.textContent).toContain('Blur photos');
    expect(screen.queryByRole('form', { name: 'New filter' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'New filter' })));
    expect(screen.getByRole('status').textContent).toBe('Filter “Spoilers” created.');

    const [post] = server.callsTo('POST', '/api/v2/filters');
    expect(post.headers.get('X-CSRF-Token')).toBe(CSRF);
    expect(post.body).toEqual({
      title: 'Spoilers',
      context: ['home', 'public', 'thread'],
      filter_action: 'blur',
      expires_in: 86400,
      keywords_attributes: [
        { keyword: 'finale', whole_word: true },
        { keyword: 'season 3', whole_word: false },
      ],
    });
  });

  it('says what is missing before sending, and shows the server’s refusal as it says it', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v2/filters', { body: [] });
    server.on('POST', '/api/v2/filters', { status: 422, body: { error: 'Validation failed: you can have at most 100 filters' } });

    renderApp('/settings/filters');
    fireEvent.click(await screen.findByRole('button', { name: 'New filter' }));
    const newForm = form('New filter');
    fireEvent.click(within(newForm).getByRole('button', { name: 'Create filter' }));
    expect((await within(newForm).findByRole('alert')).textContent).toBe('Give the filter a title.');

    fireEvent.change(within(newForm).getByLabelText('Title'), { target: { value: 'Cats' } });
    fireEvent.click(within(newForm).getByRole('button', { name: 'Create filter' }));
    expect(within(newForm).getByRole('alert').textContent).toBe('Add at least one keyword.');
    expect(document.activeElement).toBe(within(newForm).getByLabelText('Keyword 1'));

    fireEvent.change(within(newForm).getByLabelText('Keyword 1'), { target: { value: 'cat' } });
    for (const place of ['Home and lists', 'Notifications', 'Public timelines', 'Conversations and threads', 'Profiles']) {
      fireEvent.click(within(newForm).getByRole('checkbox', { name: place }));
    }
    fireEvent.click(within(newForm).getByRole('button', { name: 'Create filter' }));
    expect(within(newForm).getByRole('alert').textContent).toBe('Choose at least one place to filter in.');
    expect(server.callsTo('POST', '/api/v2/filters')).toHaveLength(0);

    fireEvent.click(within(newForm).getByRole('checkbox', { name: 'Home and lists' }));
    fireEvent.click(within(newForm).getByRole('button', { name: 'Create filter' }));
    expect(await within(newForm).findByText('Validation failed: you can have at most 100 filters')).toBeTruthy();
    expect(server.callsTo('POST', '/api/v2/filters')).toHaveLength(1);
  });

  it('edits a filter in place: keeps its expiry unless changed, updates, adds and removes keywords', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    const expires = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const filter = makeFilter({
      expires_at: expires,
      keywords: [
        { id: '301', keyword: 'finale', whole_word: true },
        { id: '302', keyword: 'ending', whole_word: false },
      ],
    });
    server.on('GET', '/api/v2/filters', { body: [filter] });
    server.on('PUT', '/api/v2/filters/31', (call) => {
      const body = call.body as { filter_action: Filter['filter_action'] };
      return { body: { ...filter, filter_action: body.filter_action, keywords: [{ id: '301', keyword: 'the finale', whole_word: true }, { id: '309', keyword: 'twist', whole_word: true }] } };
    });

    renderApp('/settings/filters');
    const row = await screen.findByRole('listitem', { name: 'Spoilers' });
    fireEvent.click(within(row).getByRole('button', { name: 'Edit' }));
    const editForm = form('Edit filter “Spoilers”');
    expect((within(editForm).getByLabelText('Title') as HTMLInputElement).value).toBe('Spoilers');
    expect((within(editForm).getByRole('radio', { name: 'Hide with a warning' }) as HTMLInputElement).checked).toBe(true);
    expect((within(editForm).getByRole('checkbox', { name: 'Notifications' }) as HTMLInputElement).checked).toBe(false);
    const expiry = within(editForm).getByLabelText('Expires after') as HTMLSelectElement;
    expect(expiry.value).toBe('keep');
    expect(expiry.options[0].textContent).toMatch(/^Unchanged \(expires /);

    fireEvent.change(within(editForm).getByLabelText('Keyword 1'), { target: { value: 'the finale' } });
    fireEvent.click(within(editForm).getByRole('button', { name: 'Remove keyword 2' }));
    expect(document.activeElement).toBe(within(editForm).getByRole('button', { name: 'Add keyword' }));
    fireEvent.click(within(editForm).getByRole('button', { name: 'Add keyword' }));
    fireEvent.change(within(editForm).getByLabelText('Keyword 2'), { target: { value: 'twist' } });
    fireEvent.click(within(editForm).getByRole('radio', { name: 'Hide completely' }));
    fireEvent.click(within(editForm).getByRole('button', { name: 'Save filter' }));

    await waitFor(() => expect(screen.queryByRole('form', { name: /Edit filter/ })).toBeNull());
    const saved = screen.getByRole('listitem', { name: 'Spoilers' });
    expect(saved.textContent).toContain('Hide completely');
    expect(saved.textContent).toContain('the finale (whole word), twist (whole word)');
    // Focus moves in an effect after the form has closed: waited for, not assumed.
    await waitFor(() => expect(document.activeElement).toBe(within(saved).getByRole('button', { name: 'Edit' })));
    const [put] = server.callsTo('PUT', '/api/v2/filters/31');
    expect(put.body).toEqual({
      title: 'Spoilers',
      context: ['home', 'public'],
      filter_action: 'hide',
      keywords_attributes: [
        { id: '301', keyword: 'the finale', whole_word: true },
        { keyword: 'twist', whole_word: true },
        { id: '302', _destroy: true },
      ],
    });
  });

  it('deletes a filter only after confirming, and Cancel keeps it', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v2/filters', { body: [makeFilter()] });
    server.on('DELETE', '/api/v2/filters/31', { body: {} });

    renderApp('/settings/filters');
    const row = await screen.findByRole('listitem', { name: 'Spoilers' });
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    const confirm = within(row).getByRole('group', { name: 'Delete the filter “Spoilers”?' });
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Delete filter' }));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Delete' }));
    expect(server.callsTo('DELETE', '/api/v2/filters/31')).toHaveLength(0);

    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Delete filter' }));
    expect(await screen.findByText('No filters yet')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Filter “Spoilers” deleted.');
    expect(server.callsTo('DELETE', '/api/v2/filters/31')).toHaveLength(1);
    expect(server.callsTo('DELETE', '/api/v2/filters/31')[0].headers.get('X-CSRF-Token')).toBe(CSRF);
  });
});
