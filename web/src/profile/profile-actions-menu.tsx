import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { accountAction, type AccountAction } from '../api/accounts-api.ts';
import type { Relationship } from '../api/mastodon-types.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { MoreIcon } from '../ui/icons.tsx';
import { useDisclosure } from '../ui/use-disclosure.ts';

/** The actions that are hard to take back ask first, as Instagram does. */
const CONFIRMED: Partial<Record<AccountAction, { title: (name: string) => string; body: string; label: string }>> = {
  block: {
    title: (name) => `Block ${name}?`,
    body: 'They will not be able to find your profile, posts or stories. They will not be told that you blocked them.',
    label: 'Block',
  },
  remove_from_followers: {
    title: (name) => `Remove ${name} as a follower?`,
    body: 'They will not be told that they were removed.',
    label: 'Remove',
  },
};

/**
 * The "…" menu on someone else's profile: Block/Unblock, Mute/Unmute, and Remove follower
 * when they follow you. A disclosure of plain buttons, closed by Escape or a click outside;
 * on a phone it is a sheet along the bottom, so it never runs off the screen.
 */
export function ProfileActionsMenu({
  accountId,
  name = 'this account',
  relationship,
  onChange,
}: {
  accountId: string;
  name?: string;
  relationship: Relationship;
  onChange: (relationship: Relationship) => void;
}) {
  const api = useApi();
  const [busy, setBusy] = useState<AccountAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<AccountAction | null>(null);
  const { isOpen, close, toggle, panelId, wrapRef, triggerRef, panelRef } = useDisclosure({ paused: confirming !== null });

  const run = async (action: AccountAction) => {
    setBusy(action);
    setError(null);
    try {
      onChange(await accountAction(api, accountId, action));
      setConfirming(null);
      close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const item = (action: AccountAction, label: string, danger = false) => (
    <button type="button" className={`menu-item${danger ? ' menu-item-danger' : ''}`} onClick={() => (CONFIRMED[action] ? setConfirming(action) : run(action))} disabled={busy !== null} aria-busy={busy === action}>
      {label}
    </button>
  );

  return (
    <div className="actions-menu" ref={wrapRef}>
      <button
        ref={triggerRef}
        type="button"
        className="button button-secondary button-icon"
        aria-label="More options"
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={toggle}
      >
        <MoreIcon />
      </button>
      <div id={panelId} ref={panelRef} className="actions-menu-panel" hidden={!isOpen}>
        {relationship.blocking ? item('unblock', 'Unblock') : item('block', 'Block', true)}
        {relationship.muting ? item('unmute', 'Unmute') : item('mute', 'Mute')}
        {relationship.followed_by && item('remove_from_followers', 'Remove follower', true)}
      </div>
      <ErrorMessage error={error} />
      {confirming && CONFIRMED[confirming] && (
        <ConfirmDialog
          title={CONFIRMED[confirming].title(name)}
          confirmLabel={CONFIRMED[confirming].label}
          danger
          isBusy={busy === confirming}
          onConfirm={() => run(confirming)}
          onCancel={() => {
            setConfirming(null);
            close(false);
            // After the dialog has handed focus back to the (now hidden) item.
            setTimeout(() => triggerRef.current?.focus(), 0);
          }}
        >
          <p>{CONFIRMED[confirming].body}</p>
          <ErrorMessage error={error} />
        </ConfirmDialog>
      )}
    </div>
  );
}
