import { useParams } from 'react-router';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { ProfilePage } from './profile-page.tsx';
import { FollowListPage } from './follow-list-page.tsx';

/** `/@username` (and its followers/following lists); any other single segment is not a page. */
function usernameFrom(handle: string | undefined): string | null {
  if (!handle || !handle.startsWith('@')) return null;
  const username = handle.slice(1);
  return /^[A-Za-z0-9_]{1,30}(@[A-Za-z0-9.-]+)?$/.test(username) ? username : null;
}

export function ProfileRoute() {
  const username = usernameFrom(useParams().handle);
  if (!username) return <NotFoundPage />;
  return <ProfilePage key={username} username={username} />;
}

export function FollowListRoute({ kind }: { kind: 'followers' | 'following' }) {
  const username = usernameFrom(useParams().handle);
  if (!username) return <NotFoundPage />;
  return <FollowListPage key={`${kind}:${username}`} kind={kind} username={username} />;
}
