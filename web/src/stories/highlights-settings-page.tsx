import { useEffect, useState } from 'react';
import { isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { useSession } from '../auth/session-context.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { deleteHighlight, fetchHighlights, STORY_LIMITS, updateHighlight, type Highlight } from './stories-api.ts';
import './stories.css';

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; highlights: Highlight[] };

/**
 * Settings → Highlights: the owner renames highlights, puts them in the order the profile shows
 * them, takes stories out of them and deletes them. Stories are added from the story viewer.
 */
export function HighlightsSettingsPage() {
  useDocumentTitle('Highlights');
  const api = useApi();
  const { account } = useSession();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [confirmingId, setConfirmingId] = useState<string | null>(null);

  useEffect(() => {
    if (!account) return;
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    fetchHighlights(api, account.id, controller.signal).then(
      (highlights) => setLoad({ status: 'ready', highlights }),
      (err: unknown) => {
        if (!isAbort(err)) setLoad({ status: 'error', error: err });
      },
    );
    return () => controller.abort();
  }, [api, account, attempt]);

  if (load.status === 'loading') return <Loading />;
  if (load.status === 'error') return <LoadError error={load.error} onRetry={() => setAttempt((a) => a + 1)} />;
  const { highlights } = load;

  const act = async (work: () => Promise<Highlight[]>, done: string) => {
    setBusy(true);
    setError(null);
    setAnnouncement('');
    try {
      const next = await work();
      setLoad({ status: 'ready', highlights: next });
      setAnnouncement(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const replace = (list: Highlight[], saved: Highlight) => list.map((h) => (h.id === saved.id ? saved : h));

  const rename = (highlight: Highlight) => {
    const title = (titles[highlight.id] ?? highlight.title).trim();
    if (!title || title === highlight.title) return;
    void act(async () => replace(highlights, await updateHighlight(api, highlight.id, { title })), `Renamed to ${title}.`);
  };

  // Positions are renumbered in the new order; only the highlights whose place changed are saved.
  const move = (index: number, by: -1 | 1) => {
    const order = [...highlights];
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved);
    void act(async () => {
      const saved: Highlight[] = [];
      for (const [position, h] of order.entries()) saved.push(h.position === position ? h : await updateHighlight(api, h.id, { position }));
      return saved;
    }, `${moved.title} moved ${by < 0 ? 'up' : 'down'}.`);
  };

  const removeStory = (highlight: Highlight, storyId: string) =>
    act(async () => replace(highlights, await updateHighlight(api, highlight.id, { story_ids: highlight.stories.map((s) => s.id).filter((id) => id !== storyId) })), `Story removed from ${highlight.title}.`);

  const remove = (highlight: Highlight) =>
    act(async () => {
      await deleteHighlight(api, highlight.id);
      setConfirmingId(null);
      return highlights.filter((h) => h.id !== highlight.id);
    }, `${highlight.title} deleted.`);

  return (
    <section className="settings-section" aria-labelledby="highlights-title">
      <h1 id="highlights-title" className="page-title">
        Highlights
      </h1>
      <p className="muted">Highlights keep stories on your profile after a day, for the same people who could see them. Add stories from the story viewer.</p>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <ErrorMessage error={error} />
      {highlights.length === 0 ? (
        <EmptyState title="No highlights yet">
          <p>Open one of your stories and choose Highlight to start one.</p>
        </EmptyState>
      ) : (
        <ol className="highlight-manage-list" aria-label="Your highlights, in profile order">
          {highlights.map((highlight, index) => {
            const titleId = `highlight-title-${highlight.id}`;
            const title = titles[highlight.id] ?? highlight.title;
            return (
              <li key={highlight.id} className="highlight-manage" aria-label={highlight.title}>
                <form
                  className="highlight-rename"
                  onSubmit={(event) => {
                    event.preventDefault();
                    rename(highlight);
                  }}
                >
                  <label className="visually-hidden" htmlFor={titleId}>
                    Title of {highlight.title}
                  </label>
                  <input id={titleId} className="field-input" dir="auto" maxLength={STORY_LIMITS.highlightTitle} value={title} onChange={(e) => setTitles((t) => ({ ...t, [highlight.id]: e.target.value }))} />
                  <button type="submit" className="button button-secondary button-small" disabled={busy || !title.trim() || title.trim() === highlight.title}>
                    Rename
                  </button>
                </form>
                <div className="highlight-manage-actions">
                  <button type="button" className="button button-secondary button-small" disabled={busy || index === 0} onClick={() => move(index, -1)} aria-label={`Move ${highlight.title} up`}>
                    Up
                  </button>
                  <button type="button" className="button button-secondary button-small" disabled={busy || index === highlights.length - 1} onClick={() => move(index, 1)} aria-label={`Move ${highlight.title} down`}>
                    Down
                  </button>
                  {confirmingId === highlight.id ? (
                    <>
                      <button type="button" className="button button-danger button-small" disabled={busy} onClick={() => void remove(highlight)}>
                        Delete {highlight.title}
                      </button>
                      <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => setConfirmingId(null)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => setConfirmingId(highlight.id)}>
                      Delete…
                    </button>
                  )}
                </div>
                <ul className="highlight-manage-stories" aria-label={`Stories in ${highlight.title}`}>
                  {highlight.stories.map((story, i) => {
                    const src = story.media_attachment?.preview_url ?? story.media_attachment?.url ?? undefined;
                    return (
                      <li key={story.id} className="highlight-manage-story">
                        <span className="highlight-cover">{src ? <img src={src} alt="" loading="lazy" decoding="async" /> : null}</span>
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          disabled={busy || highlight.stories.length === 1}
                          onClick={() => void removeStory(highlight, story.id)}
                          aria-label={`Remove story ${i + 1} from ${highlight.title}`}
                        >
                          Remove
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
