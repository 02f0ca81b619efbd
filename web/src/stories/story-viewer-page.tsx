import { useCallback, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { useSession } from '../auth/session-context.tsx';
import { profilePath } from '../ui/account-name.ts';
import { Loading, LoadError } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useResource } from '../ui/use-resource.ts';
import { fetchAccountStories, fetchHighlights, fetchStory, fetchTray, storyPath, type Story, type StoryViewerState } from './stories-api.ts';
import { StoryViewer, type QueueItem } from './story-viewer.tsx';
import './stories.css';

function Centered({ children }: { children: ReactNode }) {
  return (
    <div className="story-viewer" role="dialog" aria-modal="true" aria-label="Stories">
      <div className="story-frame">
        <div className="story-message">{children}</div>
      </div>
    </div>
  );
}

/** Closing goes back where the viewer was opened from, or to the feed. */
function useClose(fallback: () => string) {
  const navigate = useNavigate();
  const location = useLocation();
  const fromApp = Boolean((location.state as StoryViewerState | null)?.fromApp);
  return useCallback(() => {
    if (fromApp) navigate(-1);
    else navigate(fallback(), { replace: true });
  }, [fromApp, navigate, fallback]);
}

/**
 * `/stories/:accountId[?story=id]`: one account's stories, then the next accounts of the tray
 * (the order the tray showed, or the tray as it is now when opened from a link).
 */
export function AccountStoriesRoute() {
  const api = useApi();
  const { state: session } = useSession();
  const params = useParams();
  const [search] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  // The address follows the viewer from account to account; the queue is fixed at opening.
  const [initial] = useState(() => ({
    accountId: params.accountId ?? '',
    storyId: search.get('story') ?? undefined,
    queue: (location.state as StoryViewerState | null)?.queue,
  }));
  useDocumentTitle('Stories');
  const isSignedIn = session.status === 'signed-in';
  const [queueState] = useResource<string[]>(
    async (signal) => {
      // Whether there is a tray to follow depends on the session: wait for it.
      if (session.status === 'loading') return new Promise<string[]>(() => undefined);
      if (initial.queue?.includes(initial.accountId) && !initial.storyId) return initial.queue;
      if (!isSignedIn || initial.storyId) return [initial.accountId];
      try {
        const ids = (await fetchTray(api, signal)).map((entry) => entry.account.id);
        return ids.includes(initial.accountId) ? ids : [initial.accountId];
      } catch (error) {
        if (error instanceof ApiError) return [initial.accountId];
        throw error;
      }
    },
    `${session.status}`,
  );

  const load = useCallback(
    async (accountId: string, signal: AbortSignal): Promise<Story[]> => {
      const wanted = accountId === initial.accountId ? initial.storyId : undefined;
      let list: Story[] = [];
      try {
        list = await fetchAccountStories(api, accountId, signal);
      } catch (error) {
        if (!wanted) throw error;
      }
      // A story asked for by id that is no longer live (an own expired one, or one in a highlight).
      if (wanted && !list.some((s) => s.id === wanted)) return [await fetchStory(api, wanted, signal)];
      return list;
    },
    [api, initial],
  );

  const onClose = useClose(useCallback(() => '/', []));
  const onAccountChange = useCallback(
    (accountId: string) => navigate(storyPath(accountId), { replace: true, state: location.state }),
    [navigate, location.state],
  );

  if (session.status === 'loading' || queueState.status === 'loading') {
    return (
      <Centered>
        <Loading label="Loading stories…" />
      </Centered>
    );
  }
  if (queueState.status === 'error') {
    return (
      <Centered>
        <LoadError error={queueState.error} />
        <button type="button" className="button button-secondary" onClick={onClose}>
          Close
        </button>
      </Centered>
    );
  }
  const queue: QueueItem[] = queueState.data.map((accountId) => ({ accountId }));
  return (
    <StoryViewer
      key={queueState.data.join(',')}
      queue={queue}
      startIndex={Math.max(0, queueState.data.indexOf(initial.accountId))}
      startAt={initial.storyId ? { storyId: initial.storyId } : 'first-unseen'}
      load={load}
      onClose={onClose}
      onAccountChange={onAccountChange}
    />
  );
}

/** `/stories/:accountId/highlights/:highlightId`: a highlight's stories, from the first. */
export function HighlightStoriesRoute() {
  const api = useApi();
  const { state: session } = useSession();
  const { accountId = '', highlightId = '' } = useParams();
  const [state] = useResource((signal) => fetchHighlights(api, accountId, signal), `${accountId}:${session.status}`);
  const highlight = state.status === 'ready' ? state.data.find((h) => h.id === highlightId) : undefined;
  useDocumentTitle(highlight ? highlight.title : 'Highlight');
  const author = highlight?.stories[0]?.account;
  const onClose = useClose(useCallback(() => (author ? profilePath(author) : '/'), [author]));
  const load = useCallback(async () => highlight?.stories ?? [], [highlight]);

  if (session.status === 'loading' || state.status === 'loading') {
    return (
      <Centered>
        <Loading label="Loading highlight…" />
      </Centered>
    );
  }
  if (state.status === 'error' || !highlight || highlight.stories.length === 0) {
    return (
      <Centered>
        {state.status === 'error' ? <LoadError error={state.error} /> : <p>This highlight is not available.</p>}
        <button type="button" className="button button-secondary" onClick={onClose}>
          Close
        </button>
      </Centered>
    );
  }
  return <StoryViewer queue={[{ accountId, account: author, stories: highlight.stories }]} startAt={0} load={load} onClose={onClose} title={highlight.title} />;
}
