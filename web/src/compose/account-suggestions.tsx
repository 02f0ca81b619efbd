import type { Account } from '../api/mastodon-types.ts';
import { displayNameOf } from '../ui/account-name.ts';
import { Avatar } from '../ui/avatar.tsx';

export const optionId = (listId: string, index: number) => `${listId}-option-${index}`;

/**
 * The list of accounts under a field that searches as one types (the caption's @mentions,
 * the people picker). Focus stays in the field; the field points at the active option with
 * aria-activedescendant, so this list only shows and takes clicks.
 */
export function AccountSuggestions({ id, label, accounts, activeIndex, onPick }: { id: string; label: string; accounts: Account[]; activeIndex: number; onPick: (account: Account) => void }) {
  return (
    <ul id={id} role="listbox" aria-label={label} className="account-suggestions">
      {accounts.map((account, index) => (
        <li
          key={account.id}
          id={optionId(id, index)}
          role="option"
          aria-selected={index === activeIndex}
          className={`account-suggestion${index === activeIndex ? ' is-active' : ''}`}
          // Keep focus (and the caret) in the field while choosing with the pointer.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(account)}
        >
          <Avatar account={account} size="small" />
          <span className="account-suggestion-name">{displayNameOf(account)}</span>
          <span className="account-suggestion-handle">@{account.acct || account.username}</span>
        </li>
      ))}
    </ul>
  );
}

/** Arrow keys move through suggestions, Enter or Tab picks, Escape closes: true if handled. */
export function handleSuggestionKey(
  key: string,
  count: number,
  active: number,
  actions: { move: (index: number) => void; pick: (index: number) => void; close: () => void },
): boolean {
  if (count === 0) return false;
  switch (key) {
    case 'ArrowDown':
      actions.move((active + 1) % count);
      return true;
    case 'ArrowUp':
      actions.move((active - 1 + count) % count);
      return true;
    case 'Enter':
    case 'Tab':
      actions.pick(active);
      return true;
    case 'Escape':
      actions.close();
      return true;
    default:
      return false;
  }
}
