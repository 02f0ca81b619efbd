import { useState } from 'react';
import type { Account } from '../api/mastodon-types.ts';
import { displayNameOf } from './account-name.ts';

type AvatarSize = 'small' | 'medium' | 'large';

/** Decorative by default: the name is always written next to it. */
export function Avatar({ account, size = 'medium' }: { account: Pick<Account, 'avatar' | 'display_name' | 'username'>; size?: AvatarSize }) {
  const [failed, setFailed] = useState(false);
  if (!account.avatar || failed) {
    return (
      <span className={`avatar avatar-${size} avatar-fallback`} aria-hidden="true">
        {displayNameOf(account).slice(0, 1).toUpperCase()}
      </span>
    );
  }
  return <img className={`avatar avatar-${size}`} src={account.avatar} alt="" loading="lazy" decoding="async" onError={() => setFailed(true)} />;
}
