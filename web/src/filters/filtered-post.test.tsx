import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FilterAction, FilterResult } from '../api/mastodon-types.ts';
import { installFetchMock } from '../test/fetch-mock.ts';
import { makeAccount, makeMedia, makeStatus } from '../test/fixtures.ts';
import { renderApp, signedInAs } from '../test/render-app.tsx';
import { quotedTitles } from './filtered-post.tsx';

const me = makeAccount('ines', { id: '1' });
const mara = makeAccount('mara', { id: '2', display_name: 'Mara' });

function match(title: string, action: FilterAction, overrides: Partial<FilterResult['filter']> = {}): FilterResult {
  return { filter: { id: `f-${title}`, title, context: ['home', 'thread'], expires_at: null, filter_action: action, ...overrides }, keyword_matches: ['finale'], status_matches: [] };
}

function feedWith(...statuses: ReturnType<typeof makeStatus>[]) {
  const server = installFetchMock();
  signedInAs(server, me);
  server.on('GET', '/api/v1/timelines/home', { body: statuses });
  renderApp('/');
  return server;
}

describe('filtered posts', () => {
  it('collapses a post matching a warn filter behind a notice naming it, and "Show anyway" shows it with focus on it', async () => {
    feedWith(
      makeStatus(mara, { id: '60', content: '<p>The finale was wild</p>', media_attachments: [makeMedia('p1', { description: 'A screen' })], filtered: [match('Spoilers', 'warn')] }),
      makeStatus(mara, { id: '61', content: '<p>Just a tree</p>', media_attachments: [makeMedia('p2', { description: 'A tree' })] }),
    );

    const notice = await screen.findByRole('article', { name: 'Hidden by your filter “Spoilers”' });
    expect(within(notice).queryByText('The finale was wild')).toBeNull();
    expect(within(notice).queryByRole('img')).toBeNull();
    expect(screen.getByText('Just a tree')).toBeTruthy();

    fireEvent.click(within(notice).getByRole('button', { name: 'Show anyway' }));

    const shown = screen.getAllByRole('article', { name: 'Mara' })[0];
    expect(within(shown).getByText('The finale was wild')).toBeTruthy();
    expect(within(shown).getByRole('img', { name: 'A screen' })).toBeTruthy();
    expect(document.activeElement).toBe(shown);
    expect(screen.queryByRole('button', { name: 'Show anyway' })).toBeNull();
  });

  it('blurs the photos of a post matching a blur filter, out of reach until "Show", then focuses them', async () => {
    const { container } = (() => {
      const server = installFetchMock();
      signedInAs(server, me);
      server.on('GET', '/api/v1/timelines/home', {
        body: [makeStatus(mara, { id: '62', content: '<p>Finale night</p>', media_attachments: [makeMedia('p3', { description: 'The last scene' }), makeMedia('p4')], filtered: [match('Spoilers', 'blur')] })],
      });
      return renderApp('/');
    })();

    const article = await screen.findByRole('article', { name: 'Mara' });
    // The caption is there; the photos are blurred and hidden from the keyboard and screen readers.
    expect(within(article).getByText('Finale night')).toBeTruthy();
    expect(within(article).queryByRole('img', { name: 'The last scene' })).toBeNull();
    expect(within(article).queryByRole('button', { name: 'Next photo' })).toBeNull();
    expect(container.querySelector('.filter-blur.is-blurred .filter-blur-media')?.hasAttribute('inert')).toBe(true);
    expect(within(article).getByText('Photos hidden by your filter “Spoilers”')).toBeTruthy();

    fireEvent.click(within(article).getByRole('button', { name: 'Show' }));

    expect(within(article).getByRole('img', { name: 'The last scene' })).toBeTruthy();
    expect(container.querySelector('.filter-blur-media')?.hasAttribute('inert')).toBe(false);
    expect(document.activeElement).toBe(within(article).getByRole('region', { name: 'Photos by Mara' }));
    expect(within(article).queryByRole('button', { name: 'Show' })).toBeNull();
  });

  it('prefers the warning when a post matches both kinds, names every filter, and ignores expired ones', async () => {
    feedWith(
      makeStatus(mara, {
        id: '63',
        content: '<p>Finale and election</p>',
        filtered: [match('Spoilers', 'blur'), match('Politics', 'warn'), match('News', 'warn'), match('Old', 'warn', { expires_at: '2020-01-01T00:00:00.000Z' })],
      }),
      makeStatus(mara, { id: '64', content: '<p>Only an old filter</p>', filtered: [match('Gone', 'warn', { expires_at: '2020-01-01T00:00:00.000Z' })] }),
    );

    const notice = await screen.findByRole('article', { name: 'Hidden by your filters “Politics” and “News”' });
    expect(screen.getByText('Only an old filter')).toBeTruthy();
    fireEvent.click(within(notice).getByRole('button', { name: 'Show anyway' }));
    // "Show anyway" shows the whole post, photos too.
    expect(screen.queryByRole('button', { name: 'Show' })).toBeNull();
    expect(screen.getByText('Finale and election')).toBeTruthy();
  });

  it('shows the notice on a post’s own page too, where a hide match still arrives', async () => {
    const server = installFetchMock();
    signedInAs(server, me);
    server.on('GET', '/api/v1/statuses/65', { body: makeStatus(mara, { id: '65', content: '<p>Secret ending</p>', filtered: [match('Spoilers', 'hide')] }) });
    renderApp('/@mara/65');

    const notice = await screen.findByRole('article', { name: 'Hidden by your filter “Spoilers”' });
    expect(screen.queryByText('Secret ending')).toBeNull();
    fireEvent.click(within(notice).getByRole('button', { name: 'Show anyway' }));
    expect(screen.getByText('Secret ending')).toBeTruthy();
  });

  it('quotes filter titles as a list', () => {
    expect(quotedTitles(['A'])).toBe('“A”');
    expect(quotedTitles(['A', 'B'])).toBe('“A” and “B”');
    expect(quotedTitles(['A', 'B', 'C', 'A'])).toBe('“A”, “B” and “C”');
  });
});
