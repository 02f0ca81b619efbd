import { useCallback } from 'react';
import { Link } from 'react-router';
import { hasOwnImage } from '../api/media-api.ts';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { fetchRelationship, lookupAccount } from '../api/accounts-api.ts';
import { accountMediaPath, fetchStatusPage } from '../api/statuses-api.ts';
import type { Account, Relationship, Status } from '../api/mastodon-types.ts';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { useSession } from '../auth/session-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { displayNameOf } from '../ui/account-name.ts';
import { LoadMoreButton } from '../ui/account-row.tsx';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { formatCount, plural } from '../ui/format-count.ts';
import { htmlToText } from '../ui/html-to-text.ts';
import { CameraIcon, LockIcon } from '../ui/icons.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { usePagedList } from '../ui/use-paged-list.ts';
import { useResource } from '../ui/use-resource.ts';
import { FollowButton } from './follow-button.tsx';
import { ProfileActionsMenu } from './profile-actions-menu.tsx';
import { PhotoGrid } from '../posts/photo-grid.tsx';
import { ProfileHighlights } from '../stories/highlights.tsx';
import './profile.css';

export function ProfilePage({ username }: { username: string }) {
  const api = useApi();
  const { account: viewer } = useSession();
  const [accountState, accountControls] = useResource((signal) => lookupAccount(api, username, signal), username);
  useDocumentTitle(accountState.status === 'ready' ? `${displayNameOf(accountState.data)} (@${accountState.data.acct})` : `@${username}`);

  if (accountState.status === 'loading') return <Loading />;
  if (accountState.status === 'error') {
    if (accountState.error instanceof ApiError && accountState.error.status === 404) return <NotFoundPage />;
    return <LoadError error={accountState.error} onRetry={accountControls.reload} />;
  }
  const account = accountState.data;
  // Counts change after a follow or a block: read them again without blanking the page.
  const refreshAccount = () => {
    lookupAccount(api, username).then((fresh) => accountControls.update(() => fresh), () => undefined);
  };
  return <ProfileView account={account} viewer={viewer} onAccountChanged={refreshAccount} />;
}

function ProfileView({ account, viewer, onAccountChanged }: { account: Account; viewer: Account | null; onAccountChanged: () => void }) {
  const api = useApi();
  const isSelf = viewer?.id === account.id;
  const needsRelationship = viewer !== null && !isSelf;
  const [relationshipState, relationshipControls] = useResource<Relationship | null>(
    (signal) => (needsRelationship ? fetchRelationship(api, account.id, signal) : Promise.resolve(null)),
    `${account.id}:${viewer?.id ?? ''}`,
  );
  const relationship = relationshipState.status === 'ready' ? relationshipState.data : null;

  const onRelationship = (next: Relationship) => {
    relationshipControls.update(() => next);
    onAccountChanged();
  };

  const bio = htmlToText(account.note);
  const name = displayNameOf(account);
  const isVisible = isSelf || !account.locked || Boolean(relationship?.following);
  const isDeciding = needsRelationship && account.locked && relationshipState.status === 'loading';

  return (
    <div className="page profile-page">
      {/* The header photo, when the account has one of its own (Mastodon apps show it too). */}
      {hasOwnImage(account.header) && (
        <div className="profile-banner">
          <img src={account.header} alt="" />
        </div>
      )}
      <header className="profile-header">
        <div className="profile-avatar">
          <Avatar account={account} size="large" />
        </div>
        <div className="profile-info">
          <div className="profile-title-row">
            <h1 className="profile-name">{name}</h1>
            <div className="profile-actions">
              {isSelf ? (
                <Link className="button button-secondary" to="/settings/profile">
                  Edit profile
                </Link>
              ) : viewer === null ? (
                <span className="muted">Log in or sign up to follow {name}.</span>
              ) : relationshipState.status === 'error' ? (
                <LoadError error={relationshipState.error} onRetry={relationshipControls.reload} />
              ) : relationship ? (
                <>
                  {relationship.blocking ? (
                    <span className="profile-blocked-note">You blocked this account</span>
                  ) : (
                    <>
                      <FollowButton accountId={account.id} relationship={relationship} onChange={onRelationship} locked={account.locked} />
                      <Link className="button button-secondary" to={`/direct/new?to=${encodeURIComponent(account.acct)}`}>
                        Message
                      </Link>
                    </>
                  )}
                  <ProfileActionsMenu accountId={account.id} name={account.acct} relationship={relationship} onChange={onRelationship} />
                </>
              ) : null}
            </div>
          </div>
          <p className="profile-handle">
            @{account.acct}
            {account.locked && (
              <span className="profile-lock" title="Private account">
                <LockIcon />
                <span className="visually-hidden">Private account</span>
              </span>
            )}
            {relationship?.followed_by && <span className="pill">Follows you</span>}
            {relationship?.muting && <span className="pill">Muted</span>}
          </p>
          <ul className="profile-counts">
            <li>
              <strong>{formatCount(account.statuses_count)}</strong> {plural(account.statuses_count, 'post', 'posts')}
            </li>
            <li>
              <Link to={`/@${account.acct}/followers`}>
                <strong>{formatCount(account.followers_count)}</strong> {plural(account.followers_count, 'follower', 'followers')}
              </Link>
            </li>
            <li>
              <Link to={`/@${account.acct}/following`}>
                <strong>{formatCount(account.following_count)}</strong> following
              </Link>
            </li>
          </ul>
          {bio && <p className="profile-bio">{bio}</p>}
        </div>
      </header>
      {isVisible && !isDeciding && <ProfileHighlights account={account} />}

      <section className="profile-content" aria-label="Posts">
        {isDeciding ? (
          <Loading />
        ) : isVisible ? (
          <ProfilePosts account={account} isSelf={isSelf} />
        ) : (
          <div className="private-notice">
            <span className="private-notice-icon" aria-hidden="true">
              <LockIcon />
            </span>
            <h2 className="private-notice-title">This account is private</h2>
            <p className="muted">
              {relationship?.requested ? 'Your follow request is waiting for approval.' : 'Follow this account to see their photos and stories.'}
            </p>
          </div>
        )}
      </section>
    </div>
  );
}

function ProfilePosts({ account, isSelf }: { account: Account; isSelf: boolean }) {
  const api = useApi();
  const loadPage = useCallback((path: string, signal?: AbortSignal) => fetchStatusPage(api, path, signal), [api]);
  const list = usePagedList<Status>(accountMediaPath(account.id), loadPage);
  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error') return <LoadError error={list.error} onRetry={list.reload} />;
  const withPhotos = list.items.filter((s) => s.media_attachments?.length > 0);
  if (withPhotos.length === 0 && !list.hasMore) {
    return (
      <EmptyState icon={<CameraIcon />} title={isSelf ? 'Share photos' : 'No posts yet'}>
        {isSelf && (
          <>
            <p>When you share photos, they will appear on your profile.</p>
            <p>
              <Link className="button button-primary" to="/compose">
                Share your first photo
              </Link>
            </p>
          </>
        )}
      </EmptyState>
    );
  }
  return (
    <>
      <PhotoGrid posts={withPhotos} />
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.hasMore && <LoadMoreButton isLoading={list.isLoadingMore} onClick={list.loadMore} />}
    </>
  );
}
