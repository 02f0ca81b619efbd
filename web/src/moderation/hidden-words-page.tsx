import { useId, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { CheckboxField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { useResource } from '../ui/use-resource.ts';
import { fetchHiddenWords, HIDDEN_WORD_MAX_LENGTH, HIDDEN_WORDS_MAX, saveHiddenWords, type HiddenWords } from './moderation-api.ts';
import './moderation.css';

const fullCount = new Intl.NumberFormat('en');

/** One word or phrase a line; blank lines and repeats dropped, as the server stores them. */
export function parseHiddenWords(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ''))];
}

/** What is wrong with a list before it is sent, or null. */
export function hiddenWordsProblem(words: string[]): string | null {
  if (words.length > HIDDEN_WORDS_MAX) return `You can hide at most ${fullCount.format(HIDDEN_WORDS_MAX)} words. Remove ${fullCount.format(words.length - HIDDEN_WORDS_MAX)} to save.`;
  const long = words.find((w) => [...w].length > HIDDEN_WORD_MAX_LENGTH);
  if (long) return `Each word or phrase can be at most ${HIDDEN_WORD_MAX_LENGTH} characters: “${[...long].slice(0, 30).join('')}…” is longer.`;
  return null;
}

/** Settings → Hidden words: the default list and the owner's own words, phrases and emoji. */
export function HiddenWordsPage() {
  useDocumentTitle('Hidden words');
  const api = useApi();
  const [state, { reload }] = useResource((signal) => fetchHiddenWords(api, signal), 'hidden-words');

  return (
    <section className="settings-section">
      <h1 className="page-title">Hidden words</h1>
      <p className="muted moderation-intro">
        Comments on your posts and replies to your stories that contain these words are hidden from everyone but the person who wrote them. You can review hidden comments on each
        post.
      </p>
      {state.status === 'loading' ? <Loading /> : state.status === 'error' ? <LoadError error={state.error} onRetry={reload} /> : <HiddenWordsForm initial={state.data} />}
    </section>
  );
}

function HiddenWordsForm({ initial }: { initial: HiddenWords }) {
  const api = useApi();
  const [useDefault, setUseDefault] = useState(initial.use_default_list);
  const [text, setText] = useState(initial.words.join('\n'));
  // The form as last saved: the note stays while nothing has changed since.
  const [savedAs, setSavedAs] = useState<string | null>(null);
  const fieldId = useId();
  const words = parseHiddenWords(text);
  const problem = hiddenWordsProblem(words);
  const snapshot = JSON.stringify([useDefault, text]);
  const saved = savedAs === snapshot ? 'Saved. Comments on your posts are checked again with this list.' : '';

  const { submit, isSubmitting: isSaving, error } = useFormSubmit(() => saveHiddenWords(api, { use_default_list: useDefault, words }), {
    onSuccess: (result) => {
      setUseDefault(result.use_default_list);
      const savedText = result.words.join('\n');
      setText(savedText);
      setSavedAs(JSON.stringify([result.use_default_list, savedText]));
    },
  });

  return (
    <form className="settings-form" onSubmit={(event) => (problem ? event.preventDefault() : submit(event))} noValidate>
      <CheckboxField
        label="Hide comments with common offensive words"
        hint="A list of common offensive words in English, kept up to date for you."
        checked={useDefault}
        onChange={(e) => setUseDefault(e.target.checked)}
      />
      <div className="field">
        <label className="field-label" htmlFor={fieldId}>
          Your hidden words
        </label>
        <textarea
          id={fieldId}
          className="field-input field-textarea hidden-words-input"
          rows={8}
          value={text}
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${fieldId}-hint${problem ? ` ${fieldId}-problem` : ''}`}
          onChange={(e) => setText(e.target.value)}
        />
        <p className="field-hint" id={`${fieldId}-hint`}>
          One word, phrase or emoji a line. Matching ignores case, accents, spacing and look-alike letters.{' '}
          <span className={`hidden-words-counter${words.length > HIDDEN_WORDS_MAX ? ' is-over' : ''}`}>
            {fullCount.format(words.length)}/{fullCount.format(HIDDEN_WORDS_MAX)}
          </span>
        </p>
        {problem && (
          <p className="field-error" id={`${fieldId}-problem`}>
            {problem}
          </p>
        )}
      </div>
      <ErrorMessage error={error} />
      <p className="success-message" role="status">
        {saved}
      </p>
      <button type="submit" className="button button-primary" disabled={isSaving || problem !== null} aria-busy={isSaving}>
        Save
      </button>
    </form>
  );
}
