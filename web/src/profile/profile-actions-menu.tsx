import { useEffect, useId, useRef, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { accountAction, type AccountAction } from '../api/accounts-api.ts';
import type { Relationship } from '../api/mastodon-types.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { MoreIcon } from '../ui/icons.tsx';

/**
 * The "…" menu on someone else's profile: Block/Unblock, Mute/Unmute, and Remove follower
 * when they follow you. A disclosure of plain buttons, closed by Escape or a click outside.
 */
export function ProfileActionsMenu({ accountId, relationship, onChange }: { accountId: string; relationship: Relationship; onChange: (relationship: Relationship) => void }) {
  const api = useApi();
  const [isOpen, setOpen] = useState(false);
  const [busy, setBusy] = useState<AccountAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const panelId = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    panelRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const onPointer = (event: MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        triggerRef.current?.focus();
      }
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);

  const run = async (action: AccountAction) => {
    setBusy(action);
    setError(null);
    try {
      onChange(await accountAction(api, accountId, action));
      setOpen(false);
      triggerRef.current?.focus();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const item = (action: AccountAction, label: string, danger = false) => (
    <button type="button" className={`menu-item${danger ? ' menu-item-danger' : ''}`} onClick={() => run(action)} disabled={busy !== null} aria-busy={busy === action}>
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
        onClick={() => setOpen((open) => !open)}
      >
        <MoreIcon />
      </button>
      <div id={panelId} ref={panelRef} className="actions-menu-panel" hidden={!isOpen}>
        {relationship.blocking ? item('unblock', 'Unblock') : item('block', 'Block', true)}
        {relationship.muting ? item('unmute', 'Unmute') : item('mute', 'Mute')}
        {relationship.followed_by && item('remove_from_followers', 'Remove follower', true)}
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
