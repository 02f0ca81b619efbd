import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { Account, Relationship, Status } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { FollowButton } from '../profile/follow-button.tsx';
import { PhotoGrid } from '../posts/photo-grid.tsx';
import { AccountRow } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { CameraIcon, PersonAddIcon } from '../ui/icons.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import './explore.css';

interface Suggestion {
  source?: string;
  sources?: string[];
  account: Account;
}

const SOURCE_LABELS: Record<string, string> = {
  friends_of_friends: 'Followed by people you follow',
  most_followed: 'Popular on Glimpse',
};

/** Trending posts with a photo: the grid shows pictures only. */
export function photoPosts(statuses: Status[]): Status[] {
  return statuses.filter((s) => s.media_attachments.some((m) => m.type === 'image' && (m.preview_url || m.url)));
}

function TrendingGrid() {
  const api = useApi();
  const trends = useQuery({
    queryKey: ['trends', 'statuses'],
    queryFn: ({ signal }) => api.get<Status[]>('/api/v1/trends/statuses', { limit: 40 }, signal),
  });
  if (trends.status === 'pending') return <Loading />;
  if (trends.status === 'error') return <LoadError error={trends.error} onRetry={() => void trends.refetch()} />;
  const posts = photoPosts(Array.isArray(trends.data) ? trends.data : []);
  if (posts.length === 0) {
    return (
      <EmptyState icon={<CameraIcon />} title="Nothing trending yet">
        <p>Photos that many people like and comment on right now appear here.</p>
      </EmptyState>
    );
  }
  return (
    <PhotoGrid posts={posts} />
  );
}

function SuggestionRow({ suggestion, relationship, onRelationship }: { suggestion: Suggestion; relationship: Relationship | undefined; onRelationship: (r: Relationship) => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { account } = suggestion;
  const dismiss = useMutation({
    mutationFn: () => api.delete(`/api/v1/suggestions/${encodeURIComponent(account.id)}`),
    onSuccess: () => queryClient.setQueryData<Suggestion[]>(['suggestions'], (old) => old?.filter((s) => s.account.id !== account.id)),
  });
  const source = suggestion.sources?.map((s) => SOURCE_LABELS[s]).find(Boolean);
  return (
    <AccountRow account={account} detail={source} below={dismiss.error ? <ErrorMessage error={dismiss.error} /> : undefined}>
      <FollowButton accountId={account.id} relationship={relationship ?? blankRelationship(account.id)} onChange={onRelationship} locked={account.locked} />
      <button type="button" className="button button-link button-small" onClick={() => dismiss.mutate()} disabled={dismiss.isPending}>
        Remove<span className="visually-hidden"> suggestion {account.acct || account.username}</span>
      </button>
    </AccountRow>
  );
}

function blankRelationship(id: string): Relationship {
  return { id, following: false, followed_by: false, requested: false, blocking: false, muting: false };
}

function Suggestions() {
  const api = useApi();
  const queryClient = useQueryClient();
  const suggestions = useQuery({
    queryKey: ['suggestions'],
    queryFn: ({ signal }) => api.get<Suggestion[]>('/api/v2/suggestions', { limit: 5 }, signal),
  });
  const ids = (suggestions.data ?? []).map((s) => s.account.id);
  // One request for every suggestion's follow state.
  const relationships = useQuery({
    queryKey: ['relationships', ids],
    queryFn: ({ signal }) => api.get<Relationship[]>('/api/v1/accounts/relationships', { id: ids }, signal),
    enabled: ids.length > 0,
  });
  const byId = new Map((relationships.data ?? []).map((r) => [r.id, r]));
  const onRelationship = (r: Relationship) =>
    queryClient.setQueryData<Relationship[]>(['relationships', ids], (old) => [...(old ?? []).filter((x) => x.id !== r.id), r]);

  if (suggestions.status === 'pending') return <Loading />;
  if (suggestions.status === 'error') return <LoadError error={suggestions.error} onRetry={() => void suggestions.refetch()} />;
  const list = suggestions.data ?? [];
  if (list.length === 0) {
    return (
      <EmptyState icon={<PersonAddIcon />} title="No suggestions right now">
        <p>As you follow people, we suggest others you may know.</p>
      </EmptyState>
    );
  }
  return (
    <ul className="account-list">
      {list.map((s) => (
        <SuggestionRow key={s.account.id} suggestion={s} relationship={byId.get(s.account.id)} onRelationship={onRelationship} />
      ))}
    </ul>
  );
}

/** Explore: what is trending in photos, and people to follow. Trends are public; suggestions need an account. */
export function ExplorePage() {
  useDocumentTitle('Explore');
  const { state } = useSession();
  const signedIn = state.status === 'signed-in';
  return (
    <div className="page explore-page">
      <h1 className="page-title">Explore</h1>
      {signedIn && (
        <section className="explore-section" aria-labelledby="explore-suggestions">
          <h2 id="explore-suggestions" className="explore-heading">
            Suggested for you
          </h2>
          <Suggestions />
        </section>
      )}
      <section className="explore-section" aria-labelledby="explore-trending">
        <h2 id="explore-trending" className="explore-heading">
          Trending photos
        </h2>
        <TrendingGrid />
      </section>
    </div>
  );
}
