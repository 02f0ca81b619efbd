import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context.tsx';
import type { Filter, FilterAction, FilterContext } from '../api/mastodon-types.ts';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { CheckboxField, TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { useResource } from '../ui/use-resource.ts';
import { createFilter, deleteFilter, fetchFilters, updateFilter, type FilterInput, type KeywordAttributes } from './filters-api.ts';
import './filters.css';

/** The server's bounds (server/src/domain/filters/filter.ts). */
export const FILTER_TITLE_LIMIT = 100;
export const FILTER_KEYWORD_LIMIT = 100;

export const CONTEXT_OPTIONS: Array<{ value: FilterContext; label: string }> = [
  { value: 'home', label: 'Home and lists' },
  { value: 'notifications', label: 'Notifications' },
  { value: 'public', label: 'Public timelines' },
  { value: 'thread', label: 'Conversations and threads' },
  { value: 'account', label: 'Profiles' },
];

export const ACTION_OPTIONS: Array<{ value: FilterAction; label: string; short: string; hint: string }> = [
  { value: 'warn', label: 'Hide with a warning', short: 'Warn', hint: 'The post is collapsed behind a notice naming this filter, with a button to show it anyway.' },
  { value: 'blur', label: 'Blur photos', short: 'Blur', hint: 'The post is shown with its photos blurred until you choose to see them.' },
  { value: 'hide', label: 'Hide completely', short: 'Hide', hint: 'The post is left out, without a notice.' },
];

/** expires_in in seconds; "keep" (on an edit) leaves the expiry as it is. */
export const EXPIRY_OPTIONS: Array<{ value: string; label: string; seconds: number | null }> = [
  { value: 'never', label: 'Never', seconds: null },
  { value: '3600', label: '1 hour', seconds: 3600 },
  { value: '86400', label: '1 day', seconds: 86_400 },
  { value: '604800', label: '1 week', seconds: 604_800 },
  { value: '2592000', label: '1 month', seconds: 2_592_000 },
];

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

export function isExpired(filter: Pick<Filter, 'expires_at'>, now: number = Date.now()): boolean {
  const expires = filter.expires_at ? Date.parse(filter.expires_at) : NaN;
  return !Number.isNaN(expires) && expires <= now;
}

function expiryText(filter: Filter): string {
  if (!filter.expires_at) return 'Never';
  const time = Date.parse(filter.expires_at);
  if (Number.isNaN(time)) return 'Never';
  return `${isExpired(filter) ? 'Expired' : 'Expires'} ${dateTime.format(time)}`;
}

function contextText(contexts: FilterContext[]): string {
  return CONTEXT_OPTIONS.filter((o) => contexts.includes(o.value)).map((o) => o.label).join(', ');
}

type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;

/**
 * Settings → Filters: the viewer's filters (Mastodon v2) with their keywords, where they apply,
 * what they do and when they end; a new one, an edit in place, a delete asked once more.
 */
export function FiltersPage() {
  useDocumentTitle('Filters');
  const api = useApi();
  const [state, { reload, update }] = useResource((signal) => fetchFilters(api, signal), 'filters');
  const [editing, setEditing] = useState<Editing>(null);
  const [announcement, setAnnouncement] = useState('');
  // After a form closes or a row goes, focus lands on a control that is still there.
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const editButtons = useRef(new Map<string, HTMLButtonElement>());

  useEffect(() => {
    if (!focusTarget) return;
    (focusTarget === 'new' ? newButton.current : editButtons.current.get(focusTarget))?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const closeForm = (focus: string) => {
    setEditing(null);
    setFocusTarget(focus);
  };

  return (
    <section className="settings-section filters-settings">
      <h1 className="page-title">Filters</h1>
      <p className="muted filters-intro">Posts with these words are hidden behind a warning, shown with their photos blurred, or left out, where you choose.</p>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <LoadError error={state.error} onRetry={reload} />
      ) : (
        <>
          {editing?.kind === 'new' ? (
            <FilterForm
              onCancel={() => closeForm('new')}
              onSaved={(filter) => {
                update((filters) => [filter, ...filters]);
                setAnnouncement(`Filter “${filter.title}” created.`);
                closeForm('new');
              }}
            />
          ) : (
            <div className="filters-toolbar">
              <button
                ref={newButton}
                type="button"
                className="button button-primary"
                onClick={() => {
                  setAnnouncement('');
                  setEditing({ kind: 'new' });
                }}
              >
                New filter
              </button>
            </div>
          )}
          {state.data.length === 0 ? (
            editing?.kind !== 'new' && (
              <EmptyState title="No filters yet">
                <p>Add a filter to keep posts about something you’d rather not see out of your way.</p>
              </EmptyState>
            )
          ) : (
            <ul className="filter-list" aria-label="Your filters">
              {state.data.map((filter) => (
                <FilterRow
                  key={filter.id}
                  filter={filter}
                  isEditing={editing?.kind === 'edit' && editing.id === filter.id}
                  editButtonRef={(element) => {
                    if (element) editButtons.current.set(filter.id, element);
                    else editButtons.current.delete(filter.id);
                  }}
                  onEdit={() => {
                    setAnnouncement('');
                    setEditing({ kind: 'edit', id: filter.id });
                  }}
                  onCancel={() => closeForm(filter.id)}
                  onSaved={(saved) => {
                    update((filters) => filters.map((f) => (f.id === saved.id ? saved : f)));
                    setAnnouncement(`Filter “${saved.title}” saved.`);
                    closeForm(saved.id);
                  }}
                  onDeleted={() => {
                    update((filters) => filters.filter((f) => f.id !== filter.id));
                    setAnnouncement(`Filter “${filter.title}” deleted.`);
                    if (editing?.kind === 'edit' && editing.id === filter.id) setEditing(null);
                    setFocusTarget('new');
                  }}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

interface FilterRowProps {
  filter: Filter;
  isEditing: boolean;
  editButtonRef: (element: HTMLButtonElement | null) => void;
  onEdit: () => void;
  onCancel: () => void;
  onSaved: (filter: Filter) => void;
  onDeleted: () => void;
}

function FilterRow({ filter, isEditing, editButtonRef, onEdit, onCancel, onSaved, onDeleted }: FilterRowProps) {
  const titleId = useId();
  const expired = isExpired(filter);
  const action = ACTION_OPTIONS.find((o) => o.value === filter.filter_action);
  return (
    <li className="filter-row" aria-labelledby={titleId}>
      {isEditing ? (
        <FilterForm initial={filter} onCancel={onCancel} onSaved={onSaved} />
      ) : (
        <>
          <div className="filter-row-header">
            <h2 className="filter-title" id={titleId}>
              {filter.title}
            </h2>
            {expired && <span className="pill is-expired">Expired</span>}
          </div>
          <dl className="filter-facts">
            <dt>Keywords</dt>
            <dd>
              {filter.keywords.length === 0
                ? 'None'
                : filter.keywords.map((k, i) => (
                    <span key={k.id}>
                      {i > 0 && ', '}
                      {k.keyword}
                      {k.whole_word && <span className="muted"> (whole word)</span>}
                    </span>
                  ))}
            </dd>
            <dt>Filter in</dt>
            <dd>{contextText(filter.context)}</dd>
            <dt>Action</dt>
            <dd>{action?.label ?? filter.filter_action}</dd>
            <dt>Expires</dt>
            <dd>{expiryText(filter).replace(/^Expires /, '')}</dd>
          </dl>
          <div className="filter-row-actions">
            <button ref={editButtonRef} type="button" className="button button-secondary button-small" onClick={onEdit} aria-describedby={titleId}>
              Edit
            </button>
            <DeleteFilter filter={filter} titleId={titleId} onDeleted={onDeleted} />
          </div>
        </>
      )}
    </li>
  );
}

function DeleteFilter({ filter, titleId, onDeleted }: { filter: Filter; titleId: string; onDeleted: () => void }) {
  const api = useApi();
  const [isConfirming, setConfirming] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const [focusDelete, setFocusDelete] = useState(false);

  useEffect(() => {
    if (!focusDelete) return;
    deleteButton.current?.focus();
    setFocusDelete(false);
  }, [focusDelete]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteFilter(api, filter.id);
      onDeleted();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (!isConfirming) {
    return (
      <button ref={deleteButton} type="button" className="button button-secondary button-small" onClick={() => setConfirming(true)} aria-describedby={titleId}>
        Delete
      </button>
    );
  }
  const question = `Delete the filter “${filter.title}”?`;
  return (
    <div className="filter-delete-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" className="button button-danger button-small" onClick={confirm} disabled={isBusy} aria-busy={isBusy} autoFocus>
        Delete filter
      </button>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => {
          setConfirming(false);
          setError(null);
          setFocusDelete(true);
        }}
        disabled={isBusy}
      >
        Cancel
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}

interface KeywordDraft {
  key: string;
  /** The stored keyword's id; none for one added in this form. */
  id?: string;
  keyword: string;
  wholeWord: boolean;
}

let nextKeywordKey = 0;
const newKeyword = (): KeywordDraft => ({ key: `k${nextKeywordKey++}`, keyword: '', wholeWord: true });

/** What the form sends: every keyword typed, changed ones by id, removed and emptied ones destroyed. */
export function keywordChanges(initial: Filter | undefined, drafts: KeywordDraft[]): KeywordAttributes[] {
  const kept = new Set(drafts.filter((d) => d.id && d.keyword.trim() !== '').map((d) => d.id));
  const changes: KeywordAttributes[] = drafts
    .filter((d) => d.keyword.trim() !== '')
    .map((d) => ({ ...(d.id ? { id: d.id } : {}), keyword: d.keyword.trim(), whole_word: d.wholeWord }));
  for (const original of initial?.keywords ?? []) if (!kept.has(original.id)) changes.push({ id: original.id, _destroy: true });
  return changes;
}

/** A new filter, or an edit of one; the server's refusal is shown as it says it. */
function FilterForm({ initial, onCancel, onSaved }: { initial?: Filter; onCancel: () => void; onSaved: (filter: Filter) => void }) {
  const api = useApi();
  const headingId = useId();
  const contextHintId = useId();
  const expiryId = useId();
  const actionName = useId();
  const [title, setTitle] = useState(initial?.title ?? '');
  const [keywords, setKeywords] = useState<KeywordDraft[]>(() =>
    initial && initial.keywords.length > 0 ? initial.keywords.map((k) => ({ key: `k${nextKeywordKey++}`, id: k.id, keyword: k.keyword, wholeWord: k.whole_word })) : [newKeyword()],
  );
  const [contexts, setContexts] = useState<FilterContext[]>(initial?.context ?? CONTEXT_OPTIONS.map((o) => o.value));
  const [action, setAction] = useState<FilterAction>(initial?.filter_action ?? 'warn');
  const hasExpiry = Boolean(initial?.expires_at);
  const [expiry, setExpiry] = useState(hasExpiry ? 'keep' : 'never');
  const [problem, setProblem] = useState<{ field: 'title' | 'keywords' | 'context'; message: string } | null>(null);
  const [focusKeyword, setFocusKeyword] = useState<string | null>(null);
  // The fields are the shared TextField (no ref of its own): found in their rows.
  const keywordRows = useRef(new Map<string, HTMLLIElement>());
  const titleField = useRef<HTMLDivElement>(null);
  const keywordInput = (key: string) => keywordRows.current.get(key)?.querySelector<HTMLInputElement>('input:not([type="checkbox"])');
  const addButton = useRef<HTMLButtonElement>(null);
  const firstContext = useRef<HTMLFieldSetElement>(null);

  useEffect(() => {
    if (!focusKeyword) return;
    (focusKeyword === 'add' ? addButton.current : keywordInput(focusKeyword))?.focus();
    setFocusKeyword(null);
  }, [focusKeyword]);

  const setDraft = (key: string, change: Partial<KeywordDraft>) => setKeywords((drafts) => drafts.map((d) => (d.key === key ? { ...d, ...change } : d)));

  const { submit, isSubmitting: isSaving, error } = useFormSubmit(
    () => {
      const chosen = EXPIRY_OPTIONS.find((o) => o.value === expiry);
      const input: FilterInput = {
        title: title.trim(),
        context: contexts,
        filter_action: action,
        keywords_attributes: keywordChanges(initial, keywords),
        ...(expiry === 'keep' ? {} : { expires_in: chosen?.seconds ?? null }),
      };
      return initial ? updateFilter(api, initial.id, input) : createFilter(api, input);
    },
    { onSuccess: onSaved },
  );

  // What is missing is said (and focused) at once, without a request.
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const typed = keywords.filter((k) => k.keyword.trim() !== '');
    const check =
      title.trim() === ''
        ? ({ field: 'title', message: 'Give the filter a title.' } as const)
        : typed.length === 0 && (initial?.statuses.length ?? 0) === 0
          ? ({ field: 'keywords', message: 'Add at least one keyword.' } as const)
          : contexts.length === 0
            ? ({ field: 'context', message: 'Choose at least one place to filter in.' } as const)
            : null;
    setProblem(check);
    if (check) {
      if (check.field === 'title') titleField.current?.querySelector('input')?.focus();
      else if (check.field === 'keywords') keywordInput(keywords[0]?.key ?? '')?.focus();
      else firstContext.current?.querySelector('input')?.focus();
      return;
    }
    submit();
  };

  return (
    <form className="filter-form" aria-labelledby={headingId} onSubmit={onSubmit} noValidate>
      <h2 className="filter-form-title" id={headingId}>
        {initial ? `Edit filter “${initial.title}”` : 'New filter'}
      </h2>
      <div ref={titleField}>
        <TextField
          label="Title"
          name="title"
          required
          maxLength={FILTER_TITLE_LIMIT}
          value={title}
          invalid={problem?.field === 'title'}
          autoFocus
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>

      <fieldset className="filter-fieldset">
        <legend>Keywords</legend>
        <ul className="filter-keywords">
          {keywords.map((draft, index) => (
            <li
              key={draft.key}
              className="filter-keyword"
              ref={(element) => {
                if (element) keywordRows.current.set(draft.key, element);
                else keywordRows.current.delete(draft.key);
              }}
            >
              <TextField
                label={`Keyword ${index + 1}`}
                maxLength={FILTER_KEYWORD_LIMIT}
                value={draft.keyword}
                invalid={problem?.field === 'keywords'}
                onChange={(e) => setDraft(draft.key, { keyword: e.target.value })}
              />
              <div className="filter-keyword-options">
                <CheckboxField label="Whole word" aria-label={`Keyword ${index + 1}: whole word`} checked={draft.wholeWord} onChange={(e) => setDraft(draft.key, { wholeWord: e.target.checked })} />
                {keywords.length > 1 && (
                  <button
                    type="button"
                    className="button button-link button-small filter-remove"
                    aria-label={`Remove keyword ${index + 1}`}
                    onClick={() => {
                      setKeywords((drafts) => drafts.filter((d) => d.key !== draft.key));
                      setFocusKeyword('add');
                    }}
                  >
                    Remove
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
        <button
          ref={addButton}
          type="button"
          className="button button-secondary button-small"
          onClick={() => {
            const draft = newKeyword();
            setKeywords((drafts) => [...drafts, draft]);
            setFocusKeyword(draft.key);
          }}
        >
          Add keyword
        </button>
        <p className="field-hint">A whole word matches “cat” but not “category”. Matching ignores case.</p>
      </fieldset>

      <fieldset ref={firstContext} className="filter-fieldset" aria-describedby={contextHintId}>
        <legend>Filter in</legend>
        {CONTEXT_OPTIONS.map((option) => (
          <CheckboxField
            key={option.value}
            label={option.label}
            invalid={problem?.field === 'context'}
            checked={contexts.includes(option.value)}
            onChange={(e) => {
              const on = e.target.checked;
              setContexts((current) => CONTEXT_OPTIONS.map((o) => o.value).filter((v) => (v === option.value ? on : current.includes(v))));
            }}
          />
        ))}
        <p className="field-hint" id={contextHintId}>
          Where posts are checked against this filter. Lists count as home.
        </p>
      </fieldset>

      <fieldset className="filter-fieldset">
        <legend>Action</legend>
        {ACTION_OPTIONS.map((option) => (
          <ActionRadio key={option.value} name={actionName} option={option} checked={action === option.value} onChange={() => setAction(option.value)} />
        ))}
      </fieldset>

      <div className="field">
        <label className="field-label" htmlFor={expiryId}>
          Expires after
        </label>
        <select id={expiryId} className="field-input" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {hasExpiry && initial && <option value="keep">Unchanged ({expiryText(initial).toLowerCase()})</option>}
          {EXPIRY_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>

      {/* A problem replaces an earlier refusal, as a new try does. */}
      {problem ? <ErrorMessage>{problem.message}</ErrorMessage> : <ErrorMessage error={error} />}
      <div className="filter-form-actions">
        <button type="submit" className="button button-primary" disabled={isSaving} aria-busy={isSaving}>
          {initial ? 'Save filter' : 'Create filter'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={isSaving}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ActionRadio({ name, option, checked, onChange }: { name: string; option: (typeof ACTION_OPTIONS)[number]; checked: boolean; onChange: () => void }) {
  const id = useId();
  return (
    <div className="filter-radio">
      <input id={id} type="radio" name={name} value={option.value} checked={checked} onChange={onChange} aria-describedby={`${id}-hint`} />
      <label className="checkbox-label" htmlFor={id}>
        {option.label}
      </label>
      <p className="field-hint" id={`${id}-hint`}>
        {option.hint}
      </p>
    </div>
  );
}
