import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Account } from '../api/mastodon-types.ts';
import { ErrorMessage, Loading } from '../ui/feedback.tsx';
import { createHighlight, fetchHighlights, highlightPath, STORY_LIMITS, updateHighlight, type Highlight, type Story, type StoryViewerState } from './stories-api.ts';
import './stories.css';

type Load<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

function useHighlights(accountId: string): [Load<Highlight[]>, (change: (list: Highlight[]) => Highlight[]) => void] {
  const api = useApi();
  const [state, setState] = useState<Load<Highlight[]>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    fetchHighlights(api, accountId, controller.signal).then(
      (data) => setState({ status: 'ready', data }),
      (error: unknown) => {
        if (!isAbort(error)) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [api, accountId]);
  const update = (change: (list: Highlight[]) => Highlight[]) => setState((s) => (s.status === 'ready' ? { status: 'ready', data: change(s.data) } : s));
  return [state, update];
}

/**
 * The highlights row of a profile, under the bio: a circle per highlight (its cover) with its
 * title; each opens the viewer over the highlight's stories. Nothing when there are none.
 */
export function ProfileHighlights({ account }: { account: Account }) {
  const [state] = useHighlights(account.id);
  if (state.status !== 'ready' || state.data.length === 0) return null;
  return (
    <nav className="profile-highlights" aria-label="Highlights">
      <ul className="highlight-list">
        {state.data.map((highlight) => {
          const cover = highlight.cover ?? highlight.stories[0]?.media_attachment ?? null;
          const src = cover?.preview_url ?? cover?.url ?? undefined;
          return (
            <li key={highlight.id}>
              <Link className="highlight-link" to={highlightPath(account.id, highlight.id)} state={{ fromApp: true } satisfies StoryViewerState}>
                <span className="highlight-cover">{src ? <img src={src} alt="" loading="lazy" decoding="async" /> : null}</span>
                <span className="highlight-title" dir="auto">
                  {highlight.title}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The author keeps a story: into one of their highlights, or a new one with a title. */
export function HighlightPicker({ story }: { story: Story }) {
  const api = useApi();
  const titleId = useId();
  const [state, update] = useHighlights(story.account.id);
  const [title, setTitle] = useState('');
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');

  const save = async (action: () => Promise<Highlight>) => {
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      const saved = await action();
      update((list) => (list.some((h) => h.id === saved.id) ? list.map((h) => (h.id === saved.id ? saved : h)) : [...list, saved]));
      setMessage(`Added to ${saved.title}.`);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    if (await save(() => createHighlight(api, { title: trimmed, story_ids: [story.id] }))) setTitle('');
  };

  return (
    <div className="highlight-picker">
      {state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <ErrorMessage error={state.error} />
      ) : state.data.length > 0 ? (
        <ul className="highlight-choices" aria-label="Your highlights">
          {state.data.map((highlight) => {
            const has = highlight.stories.some((s) => s.id === story.id);
            return (
              <li key={highlight.id}>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={isBusy || has}
                  onClick={() => save(() => updateHighlight(api, highlight.id, { story_ids: [...highlight.stories.map((s) => s.id), story.id] }))}
                >
                  {has ? `In ${highlight.title}` : `Add to ${highlight.title}`}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <form className="highlight-new" onSubmit={create}>
        <label className="field-label" htmlFor={titleId}>
          Highlight title
        </label>
        <div className="highlight-new-row">
          <input id={titleId} className="field-input" dir="auto" maxLength={STORY_LIMITS.highlightTitle} value={title} onChange={(e) => setTitle(e.target.value)} placeholder="New highlight" />
          <button type="submit" className="button button-primary button-small" disabled={isBusy || !title.trim()}>
            Create highlight
          </button>
        </div>
      </form>
      <p className="success-message" role="status">
        {message}
      </p>
      <ErrorMessage error={error} />
    </div>
  );
}
