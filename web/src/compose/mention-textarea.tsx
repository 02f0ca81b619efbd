import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Account } from '../api/mastodon-types.ts';
import { AccountSuggestions, handleSuggestionKey, optionId } from './account-suggestions.tsx';
import { useAccountSearch } from './use-account-search.ts';

export interface MentionToken {
  /** Where the `@` is. */
  start: number;
  /** Just past the username being typed. */
  end: number;
  query: string;
}

/**
 * The @mention being typed at the caret, if any: an `@` that starts a word (as the server
 * reads mentions, so e-mail addresses do not count) followed by username characters.
 */
export function mentionAt(text: string, caret: number): MentionToken | null {
  const match = /(^|[^A-Za-z0-9_@#/])@([A-Za-z0-9_]{0,30})$/.exec(text.slice(0, caret));
  if (!match) return null;
  const start = caret - match[2].length - 1;
  const rest = /^[A-Za-z0-9_]*/.exec(text.slice(caret))?.[0] ?? '';
  return { start, end: caret + rest.length, query: match[2] + rest };
}

/** Replaces the mention being typed with `@username ` and says where the caret goes. */
export function insertMention(text: string, token: MentionToken, account: Pick<Account, 'acct' | 'username'>): { text: string; caret: number } {
  const inserted = `@${account.acct || account.username} `;
  const after = text.slice(token.end).replace(/^ /, '');
  return { text: text.slice(0, token.start) + inserted + after, caret: token.start + inserted.length };
}

export interface MentionTextareaProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
  hint?: string;
  rows?: number;
}

/** A textarea that suggests accounts while an @mention is typed. */
export function MentionTextarea({ label, value, onChange, maxLength, hint, rows = 4 }: MentionTextareaProps) {
  const id = useId();
  const listId = `${id}-mentions`;
  const hintId = `${id}-hint`;
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [active, setActive] = useState<{ query: string; index: number }>({ query: '', index: 0 });

  const token = caret === null ? null : mentionAt(value, caret);
  const tokenKey = token ? `${token.start}:${token.query}` : null;
  const query = token && token.query.length > 0 && tokenKey !== dismissed ? token.query : null;
  const { accounts } = useAccountSearch(query, 5);
  const isOpen = query !== null && accounts.length > 0;
  const activeIndex = active.query === query ? Math.min(active.index, accounts.length - 1) : 0;

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !textareaRef.current) return;
    const position = pendingCaret.current;
    pendingCaret.current = null;
    textareaRef.current.focus();
    textareaRef.current.setSelectionRange(position, position);
  }, [value]);

  const syncCaret = () => {
    const element = textareaRef.current;
    setCaret(element && element.selectionStart === element.selectionEnd ? element.selectionStart : null);
  };

  const pick = (account: Account) => {
    if (!token) return;
    const next = insertMention(value, token, account);
    if (maxLength !== undefined && next.text.length > maxLength) return;
    pendingCaret.current = next.caret;
    setCaret(next.caret);
    onChange(next.text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!isOpen || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    const handled = handleSuggestionKey(event.key, accounts.length, activeIndex, {
      move: (index) => setActive({ query: query ?? '', index }),
      pick: (index) => pick(accounts[index]),
      close: () => setDismissed(tokenKey),
    });
    if (handled) event.preventDefault();
  };

  return (
    <div className="field mention-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="mention-wrap">
        <textarea
          ref={textareaRef}
          id={id}
          className="field-input field-textarea"
          rows={rows}
          value={value}
          maxLength={maxLength}
          aria-describedby={hint || maxLength ? hintId : undefined}
          aria-autocomplete="list"
          aria-controls={isOpen ? listId : undefined}
          aria-activedescendant={isOpen ? optionId(listId, activeIndex) : undefined}
          onChange={(event) => {
            onChange(event.target.value);
            const element = event.target;
            setCaret(element.selectionStart === element.selectionEnd ? element.selectionStart : null);
          }}
          onSelect={syncCaret}
          onKeyDown={onKeyDown}
          onBlur={() => setCaret(null)}
          onFocus={syncCaret}
        />
        {isOpen && <AccountSuggestions id={listId} label="Suggested accounts" accounts={accounts} activeIndex={activeIndex} onPick={pick} />}
      </div>
      {(hint || maxLength) && (
        <p className="field-hint" id={hintId}>
          {hint}
          {hint && maxLength ? ' ' : ''}
          {maxLength ? `${value.length.toLocaleString('en')}/${maxLength.toLocaleString('en')}` : ''}
        </p>
      )}
    </div>
  );
}
