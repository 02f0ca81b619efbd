import { useId } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { Account } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { useResource } from '../ui/use-resource.ts';
import { fetchTray, storyPath, type StoryViewerState, type TrayEntry } from './stories-api.ts';
import './stories.css';

export type RingState = 'unseen' | 'close-friends' | 'seen' | 'none';

/** Unseen stories get the coloured ring (green when close-friends stories are among them); seen ones a grey one. */
export function ringState(entry: TrayEntry | undefined): RingState {
  if (!entry || entry.stories_count === 0) return 'none';
  if (entry.unseen_count > 0) return entry.has_close_friends ? 'close-friends' : 'unseen';
  return 'seen';
}

const RING_WORDS: Record<RingState, string> = {
  unseen: 'New stories',
  'close-friends': 'New close friends stories',
  seen: 'All seen',
  none: 'No story yet',
};

/**
 * Your own story first, then the tray as the server orders it (unseen first, then newest).
 * Each ring opens the viewer, which goes on through the tray in this order.
 */
export function StoryTray() {
  const api = useApi();
  const navigate = useNavigate();
  const { account: me } = useSession();
  const [state] = useResource((signal) => fetchTray(api, signal), me?.id ?? '');
  if (!me) return null;
  const entries = state.status === 'ready' ? state.data : [];
  const own = entries.find((e) => e.account.id === me.id);
  const others = entries.filter((e) => e.account.id !== me.id);
  const queue = [...(own ? [own] : []), ...others].map((e) => e.account.id);
  const open = (accountId: string) => navigate(storyPath(accountId), { state: { fromApp: true, queue } satisfies StoryViewerState });

  return (
    <section className="story-tray" aria-label="Stories">
      <ul className="story-tray-list">
        <li className="story-tray-item story-tray-own">
          <Ring account={me} label="Your story" name="Your story" state={ringState(own)} onClick={() => (own ? open(me.id) : navigate('/stories/new'))} />
          <Link to="/stories/new" className="story-tray-add" aria-label="New story" title="New story">
            <span aria-hidden="true">+</span>
          </Link>
        </li>
        {others.map((entry) => {
          const username = entry.account.acct || entry.account.username;
          return (
            <li key={entry.account.id} className="story-tray-item">
              <Ring account={entry.account} label={`${username}'s story`} name={username} state={ringState(entry)} onClick={() => open(entry.account.id)} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Ring({ account, label, name, state, onClick }: { account: Account; label: string; name: string; state: RingState; onClick: () => void }) {
  const describedBy = useId();
  return (
    <>
      <button type="button" className={`story-ring-button ring-${state}`} aria-label={label} aria-describedby={describedBy} data-ring={state} onClick={onClick}>
        <span className="story-ring">
          <Avatar account={account} size="medium" />
        </span>
        <span className="story-ring-name" aria-hidden="true">
          {name}
        </span>
      </button>
      <span id={describedBy} className="visually-hidden">
        {RING_WORDS[state]}
      </span>
    </>
  );
}
