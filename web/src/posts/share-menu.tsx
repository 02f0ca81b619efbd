import { useState } from 'react';
import type { Status } from '../api/mastodon-types.ts';
import { ShareIcon } from '../ui/icons.tsx';
import { useDisclosure } from '../ui/use-disclosure.ts';
import { copyText, embedCode } from './posts-api.ts';

type Copyable = { label: string; notice: string; text: () => string };

/**
 * "Share": a menu to copy the post's link or its embed code (with or without comments). The
 * copy goes through the Clipboard API, else the copy command; when both fail the text is
 * shown, selected, to copy by hand.
 */
export function ShareMenu({ status }: { status: Status }) {
  const { isOpen, close, toggle, panelId: menuId, wrapRef, triggerRef, panelRef: menuRef } = useDisclosure({ focusSelector: '[role="menuitem"]' });
  const [notice, setNotice] = useState('');
  const [manual, setManual] = useState<string | null>(null);
  const link = status.url ?? new URL(`/@${status.account.acct || status.account.username}/${status.id}`, window.location.href).href;
  const withUrl = { ...status, url: link };

  const items: Copyable[] = [
    { label: 'Copy link', notice: 'Link copied.', text: () => link },
    { label: 'Copy embed code', notice: 'Embed code copied.', text: () => embedCode(withUrl) },
    { label: 'Copy embed code without comments', notice: 'Embed code copied.', text: () => embedCode(withUrl, 'off') },
  ];

  // Up and Down move between the items, as in any menu.
  const onMenuKey = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const buttons = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    buttons[(at + (event.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
  };

  const copy = async (item: Copyable) => {
    const text = item.text();
    close(true);
    setManual(null);
    if (await copyText(text)) {
      setNotice(item.notice);
    } else {
      setNotice('Copying is not allowed here: select the text below and copy it.');
      setManual(text);
    }
  };

  return (
    <div className="post-share" ref={wrapRef}>
      <button
        ref={triggerRef}
        type="button"
        className="post-action"
        aria-label="Share"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={menuId}
        onClick={toggle}
      >
        <ShareIcon />
      </button>
      <div id={menuId} ref={menuRef} className="post-share-menu" role="menu" aria-label="Share" hidden={!isOpen} onKeyDown={onMenuKey}>
        {items.map((item) => (
          <button key={item.label} type="button" role="menuitem" className="post-share-item" tabIndex={-1} onClick={() => copy(item)}>
            {item.label}
          </button>
        ))}
      </div>
      <p className="post-share-notice" role="status">
        {notice}
      </p>
      {manual !== null && (
        <textarea className="post-share-manual" aria-label="Text to copy" readOnly value={manual} rows={3} onFocus={(e) => e.currentTarget.select()} autoFocus />
      )}
    </div>
  );
}
