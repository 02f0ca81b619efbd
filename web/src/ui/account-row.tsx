import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Account } from '../api/mastodon-types.ts';
import { Avatar } from './avatar.tsx';
import { displayNameOf, profilePath } from './account-name.ts';

/** One person in a list: picture, name and @handle linking to the profile, then actions. */
export function AccountRow({ account, children, detail, below }: { account: Account; children?: ReactNode; detail?: ReactNode; below?: ReactNode }) {
  return (
    <li className="account-row">
      <Link className="account-row-link" to={profilePath(account)}>
        <Avatar account={account} size="medium" />
        <span className="account-row-names">
          <span className="account-row-name">{displayNameOf(account)}</span>
          <span className="account-row-handle">@{account.acct || account.username}</span>
          {detail && <span className="account-row-detail">{detail}</span>}
        </span>
      </Link>
      {children && <div className="account-row-actions">{children}</div>}
      {below && <div className="account-row-below">{below}</div>}
    </li>
  );
}

export function LoadMoreButton({ isLoading, onClick, label = 'Load more' }: { isLoading: boolean; onClick: () => void; label?: string }) {
  return (
    <div className="load-more">
      <button type="button" className="button button-secondary" onClick={onClick} disabled={isLoading} aria-busy={isLoading}>
        {isLoading ? 'Loading…' : label}
      </button>
    </div>
  );
}
