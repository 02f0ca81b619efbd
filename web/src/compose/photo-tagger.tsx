import { useId, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { Account } from '../api/mastodon-types.ts';
import { percent } from '../posts/media-sources.ts';
import { AccountSuggestions, handleSuggestionKey, optionId } from './account-suggestions.tsx';
import { useAccountSearch } from './use-account-search.ts';
import { MAX_TAGS_PER_PHOTO, type ComposerPhoto, type DraftTag } from './use-photo-uploads.ts';

/**
 * Tagging people on one photo: choose a spot on the photo (a click, or Enter on it for the
 * middle), find the person, and the tag shows there as a label that can be removed.
 */
export function PhotoTagger({ photo, number, onAdd, onRemove, onDone }: { photo: ComposerPhoto; number: number; onAdd: (tag: DraftTag) => void; onRemove: (accountId: string) => void; onDone: () => void }) {
  const headingId = useId();
  const imageRef = useRef<HTMLImageElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [spot, setSpot] = useState<{ x: number; y: number } | null>(null);

  const choose = (event: MouseEvent<HTMLButtonElement>) => {
    const rect = imageRef.current?.getBoundingClientRect();
    // A keyboard press has no pointer position: tag the middle of the photo.
    if (!rect || rect.width === 0 || rect.height === 0 || event.detail === 0) {
      setSpot({ x: 0.5, y: 0.5 });
    } else {
      const clamp = (v: number) => Math.min(1, Math.max(0, v));
      setSpot({ x: clamp((event.clientX - rect.left) / rect.width), y: clamp((event.clientY - rect.top) / rect.height) });
    }
    window.setTimeout(() => searchRef.current?.focus(), 0);
  };

  const isFull = photo.tags.length >= MAX_TAGS_PER_PHOTO;

  return (
    <section className="tagger" aria-labelledby={headingId}>
      <h2 className="tagger-title" id={headingId}>
        Tag people on photo {number}
      </h2>
      <p className="field-hint">{isFull ? `A photo can have at most ${MAX_TAGS_PER_PHOTO} tags.` : 'Click on the photo where the person is, then search for them.'}</p>
      <div className="tagger-stage">
        <div className="tagger-photo">
          <button type="button" className="tagger-photo-button" onClick={choose} disabled={isFull} aria-label={`Choose a spot to tag on photo ${number}`}>
            <img ref={imageRef} src={photo.previewUrl} alt="" draggable={false} />
          </button>
          {spot && <span className="tagger-spot" style={{ left: percent(spot.x), top: percent(spot.y) }} aria-hidden="true" />}
          <ul className="photo-tags photo-tags-editable" aria-label={`People tagged on photo ${number}`}>
            {photo.tags.map((tag) => {
              const handle = tag.account.acct || tag.account.username;
              return (
                <li key={tag.account.id} className="photo-tag" style={{ left: percent(tag.x), top: percent(tag.y) }}>
                  <span>{handle}</span>
                  <button type="button" className="photo-tag-remove" aria-label={`Remove tag ${handle}`} onClick={() => onRemove(tag.account.id)}>
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      </div>
      {spot && !isFull && (
        <PersonPicker
          inputRef={searchRef}
          exclude={photo.tags.map((t) => t.account.id)}
          onPick={(account) => {
            onAdd({ account, x: spot.x, y: spot.y });
            setSpot(null);
          }}
          onCancel={() => setSpot(null)}
        />
      )}
      <div className="tagger-actions">
        <button type="button" className="button button-secondary" onClick={onDone}>
          Done tagging
        </button>
      </div>
    </section>
  );
}

function PersonPicker({ inputRef, exclude, onPick, onCancel }: { inputRef: RefObject<HTMLInputElement | null>; exclude: string[]; onPick: (account: Account) => void; onCancel: () => void }) {
  const id = useId();
  const listId = `${id}-results`;
  const [text, setText] = useState('');
  const [active, setActive] = useState({ query: '', index: 0 });
  const query = text.trim().replace(/^@/, '') || null;
  const { accounts: found, isSearching } = useAccountSearch(query, 5);
  const accounts = found.filter((a) => !exclude.includes(a.id));
  const isOpen = accounts.length > 0;
  const activeIndex = active.query === query ? Math.min(active.index, accounts.length - 1) : 0;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && !isOpen) {
      event.preventDefault();
      onCancel();
      return;
    }
    if (event.key === 'Tab') return; // Tab leaves the field as usual here.
    const handled = handleSuggestionKey(event.key, accounts.length, activeIndex, {
      move: (index) => setActive({ query: query ?? '', index }),
      pick: (index) => onPick(accounts[index]),
      close: () => setText(''),
    });
    if (handled || event.key === 'Enter') event.preventDefault();
  };

  return (
    <div className="field person-picker">
      <label className="field-label" htmlFor={id}>
        Search for a person to tag
      </label>
      <div className="mention-wrap">
        <input
          ref={inputRef}
          id={id}
          type="search"
          className="field-input"
          role="combobox"
          aria-expanded={isOpen}
          aria-autocomplete="list"
          aria-controls={listId}
          aria-activedescendant={isOpen ? optionId(listId, activeIndex) : undefined}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={100}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {isOpen ? (
          <AccountSuggestions id={listId} label="People" accounts={accounts} activeIndex={activeIndex} onPick={onPick} />
        ) : (
          <span id={listId} className="visually-hidden" role="status">
            {query && !isSearching ? 'No accounts found' : ''}
          </span>
        )}
      </div>
    </div>
  );
}
