import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context.tsx';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { useSession } from '../auth/session-context.tsx';
import { ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { useResource } from '../ui/use-resource.ts';
import {
  fetchInstanceSettings,
  INSTANCE_LIMITS,
  saveInstanceSettings,
  type InstanceSettings,
  type InstanceSettingsChange,
  type RegistrationsMode,
  type SettingView,
} from './instance-settings-api.ts';
import './instance-settings.css';

const MODES: { mode: RegistrationsMode; label: string }[] = [
  { mode: 'open', label: 'Open: anyone can sign up' },
  { mode: 'approval', label: 'Approval: sign-ups wait for a moderator' },
  { mode: 'closed', label: 'Closed: nobody can sign up' },
];
const MODE_NAMES: Record<RegistrationsMode, string> = { open: 'open', approval: 'approval', closed: 'closed' };

type Field = 'title' | 'description' | 'rules' | 'registrations' | 'default_hidden_words' | 'comments' | 'story_responses';
/** How each setting is named on its "Use the default" button. */
const FIELD_NAMES: Record<Field, string> = {
  title: 'title',
  description: 'description',
  rules: 'rules',
  registrations: 'sign-ups',
  default_hidden_words: 'hidden words',
  comments: 'comment limit',
  story_responses: 'story reply limit',
};

interface Draft {
  title: string;
  description: string;
  /** One rule a line. */
  rules: string;
  registrations: RegistrationsMode;
  default_hidden_words: boolean;
  comments: string;
  story_responses: string;
}

/** The rules as the server stores them: one a line, trimmed, blank lines dropped. */
export function parseRules(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function draftOf(settings: InstanceSettings): Draft {
  return {
    title: settings.title.value,
    description: settings.description.value,
    rules: settings.rules.value.join('\n'),
    registrations: settings.registrations.value,
    default_hidden_words: settings.default_hidden_words.value,
    comments: String(settings.limits.comments.value),
    story_responses: String(settings.limits.story_responses.value),
  };
}

const fullCount = new Intl.NumberFormat('en');

/** What is wrong with the form before it is sent, field by field (the server's bounds). */
export function instanceSettingsProblems(draft: Draft): Partial<Record<Field, string>> {
  const problems: Partial<Record<Field, string>> = {};
  if (draft.title.trim() === '') problems.title = 'The title can’t be blank.';
  else if ([...draft.title].length > INSTANCE_LIMITS.title) problems.title = `The title can be at most ${INSTANCE_LIMITS.title} characters.`;
  if ([...draft.description].length > INSTANCE_LIMITS.description) problems.description = `The description can be at most ${fullCount.format(INSTANCE_LIMITS.description)} characters.`;
  const rules = parseRules(draft.rules);
  if (rules.length > INSTANCE_LIMITS.rules) problems.rules = `At most ${INSTANCE_LIMITS.rules} rules: remove ${rules.length - INSTANCE_LIMITS.rules} to save.`;
  else if (rules.some((r) => [...r].length > INSTANCE_LIMITS.rule)) problems.rules = `Each rule can be at most ${fullCount.format(INSTANCE_LIMITS.rule)} characters.`;
  for (const name of ['comments', 'story_responses'] as const) {
    const n = Number(draft[name]);
    if (draft[name].trim() === '' || !Number.isInteger(n) || n < 0 || n > INSTANCE_LIMITS.perMinute) problems[name] = `A whole number from 0 to ${fullCount.format(INSTANCE_LIMITS.perMinute)}.`;
  }
  return problems;
}

/** The change to send: the fields edited since the last load, and null for each one returned to its default. */
export function changeOf(settings: InstanceSettings, draft: Draft, cleared: ReadonlySet<Field>): InstanceSettingsChange {
  const change: InstanceSettingsChange = {};
  const pick = <T,>(field: Field, edited: boolean, value: T, set: (v: T | null) => void) => {
    if (cleared.has(field)) set(null);
    else if (edited) set(value);
  };
  pick('title', draft.title !== settings.title.value, draft.title, (v) => (change.title = v));
  pick('description', draft.description !== settings.description.value, draft.description, (v) => (change.description = v));
  const rules = parseRules(draft.rules);
  pick('rules', JSON.stringify(rules) !== JSON.stringify(settings.rules.value), rules, (v) => (change.rules = v));
  pick('registrations', draft.registrations !== settings.registrations.value, draft.registrations, (v) => (change.registrations = v));
  pick('default_hidden_words', draft.default_hidden_words !== settings.default_hidden_words.value, draft.default_hidden_words, (v) => (change.default_hidden_words = v));
  for (const name of ['comments', 'story_responses'] as const) {
    pick(name, Number(draft[name]) !== settings.limits[name].value, Number(draft[name]), (v) => ((change.limits ??= {})[name] = v));
  }
  return change;
}

/** `/admin/instance`: the instance's title, description, rules, sign-ups, default hidden words and limits. Admins only; others get the 404 page. */
export function InstanceSettingsPage() {
  useDocumentTitle('Instance settings');
  const { state } = useSession();
  // Admins only, not moderators (server: access/staff-policy.ts#canManageInstance).
  const isAdmin = state.status === 'signed-in' && state.role === 'admin';
  if (!isAdmin) return <NotFoundPage />;
  return <InstanceSettingsLoader />;
}

function InstanceSettingsLoader() {
  const api = useApi();
  const [resource, { reload }] = useResource((signal) => fetchInstanceSettings(api, signal), 'instance-settings');
  return (
    <div className="page page-narrow instance-settings-page">
      <h1 className="page-title">Instance settings</h1>
      <p className="muted instance-settings-intro">
        What people see about this server and how it runs. Each setting starts at the value from the server’s environment (its configuration); a value saved here replaces it, and
        “Use the default” brings the environment’s value back.
      </p>
      {resource.status === 'loading' ? <Loading /> : resource.status === 'error' ? <LoadError error={resource.error} onRetry={reload} /> : <InstanceSettingsForm initial={resource.data} />}
    </div>
  );
}

function InstanceSettingsForm({ initial }: { initial: InstanceSettings }) {
  const api = useApi();
  const [settings, setSettings] = useState(initial);
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [cleared, setCleared] = useState<ReadonlySet<Field>>(new Set());
  const [savedAs, setSavedAs] = useState<string | null>(null);
  const problems = instanceSettingsProblems(draft);
  const hasProblem = Object.keys(problems).length > 0;
  const snapshot = JSON.stringify([draft, [...cleared]]);
  const ids = { title: useId(), description: useId(), rules: useId(), registrations: useId(), hidden: useId(), comments: useId(), stories: useId() };

  const edit = <K extends keyof Draft>(field: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setCleared((c) => {
      if (!c.has(field)) return c;
      const next = new Set(c);
      next.delete(field);
      return next;
    });
  };
  const useDefault = (field: Field) => {
    const defaults = draftOf({
      ...settings,
      title: { ...settings.title, value: settings.title.default },
      description: { ...settings.description, value: settings.description.default },
      rules: { ...settings.rules, value: settings.rules.default },
      registrations: { ...settings.registrations, value: settings.registrations.default },
      default_hidden_words: { ...settings.default_hidden_words, value: settings.default_hidden_words.default },
      limits: {
        comments: { ...settings.limits.comments, value: settings.limits.comments.default },
        story_responses: { ...settings.limits.story_responses, value: settings.limits.story_responses.default },
      },
    });
    setDraft((d) => ({ ...d, [field]: defaults[field] }));
    setCleared((c) => new Set(c).add(field));
  };

  const { submit, isSubmitting: isSaving, error } = useFormSubmit(() => saveInstanceSettings(api, changeOf(settings, draft, cleared)), {
    onSuccess: (result) => {
      const next = draftOf(result);
      setSettings(result);
      setDraft(next);
      setCleared(new Set());
      setSavedAs(JSON.stringify([next, []]));
    },
  });

  const source = (field: Field, view: SettingView<unknown>, shown: string) => (
    <SourceNote isCleared={cleared.has(field)} view={view} shownDefault={shown} name={FIELD_NAMES[field]} onUseDefault={() => useDefault(field)} />
  );
  const quoted = (text: string) => (text === '' ? 'empty' : `“${text}”`);

  return (
    <form className="settings-form instance-settings-form" onSubmit={(event) => (hasProblem ? event.preventDefault() : submit(event))} noValidate>
      <fieldset className="instance-settings-group">
        <legend>About this server</legend>
        <Setting id={ids.title} label="Title" problem={problems.title} note={source('title', settings.title, quoted(settings.title.default))}>
          <input id={ids.title} className="field-input" value={draft.title} maxLength={INSTANCE_LIMITS.title} onChange={(e) => edit('title', e.target.value)} {...describe(ids.title, problems.title)} />
        </Setting>
        <Setting id={ids.description} label="Description" problem={problems.description} note={source('description', settings.description, quoted(settings.description.default))}>
          <textarea
            id={ids.description}
            className="field-input field-textarea"
            rows={3}
            value={draft.description}
            onChange={(e) => edit('description', e.target.value)}
            {...describe(ids.description, problems.description)}
          />
        </Setting>
        <Setting id={ids.rules} label="Rules" hint="One rule a line, shown to people who sign up and to apps." problem={problems.rules} note={source('rules', settings.rules, 'no rules')}>
          <textarea id={ids.rules} className="field-input field-textarea" rows={6} value={draft.rules} onChange={(e) => edit('rules', e.target.value)} {...describe(ids.rules, problems.rules, true)} />
        </Setting>
      </fieldset>

      <fieldset className="instance-settings-group">
        <legend>Sign-ups and comments</legend>
        <Setting id={ids.registrations} label="Sign-ups" note={source('registrations', settings.registrations, MODE_NAMES[settings.registrations.default])}>
          <select id={ids.registrations} className="field-input" value={draft.registrations} onChange={(e) => edit('registrations', e.target.value as RegistrationsMode)} {...describe(ids.registrations)}>
            {MODES.map(({ mode, label }) => (
              <option key={mode} value={mode}>
                {label}
              </option>
            ))}
          </select>
        </Setting>
        <div className="field">
          <div className="field-checkbox">
            <input id={ids.hidden} type="checkbox" className="checkbox-input" checked={draft.default_hidden_words} onChange={(e) => edit('default_hidden_words', e.target.checked)} aria-describedby={`${ids.hidden}-note`} />
            <label className="checkbox-label" htmlFor={ids.hidden}>
              Hide comments with common offensive words for people who haven’t chosen
            </label>
          </div>
          <div id={`${ids.hidden}-note`}>
            <p className="field-hint">Applies to new comments and story replies for everyone who never set their own hidden words.</p>
            {source('default_hidden_words', settings.default_hidden_words, settings.default_hidden_words.default ? 'on' : 'off')}
          </div>
        </div>
      </fieldset>

      <fieldset className="instance-settings-group">
        <legend>Limits</legend>
        {!settings.rate_limits_enabled && <p className="notice">Rate limits are off on this server (GLIMPSE_RATE_LIMITS=off): these limits apply only once they are on.</p>}
        <Setting id={ids.comments} label="Comments per person per minute" hint="0 turns the limit off." problem={problems.comments} note={source('comments', settings.limits.comments, String(settings.limits.comments.default))}>
          <input id={ids.comments} className="field-input" type="number" inputMode="numeric" min={0} max={INSTANCE_LIMITS.perMinute} value={draft.comments} onChange={(e) => edit('comments', e.target.value)} {...describe(ids.comments, problems.comments, true)} />
        </Setting>
        <Setting
          id={ids.stories}
          label="Story replies and reactions per person per minute"
          hint="0 turns the limit off."
          problem={problems.story_responses}
          note={source('story_responses', settings.limits.story_responses, String(settings.limits.story_responses.default))}
        >
          <input
            id={ids.stories}
            className="field-input"
            type="number"
            inputMode="numeric"
            min={0}
            max={INSTANCE_LIMITS.perMinute}
            value={draft.story_responses}
            onChange={(e) => edit('story_responses', e.target.value)}
            {...describe(ids.stories, problems.story_responses, true)}
          />
        </Setting>
      </fieldset>

      <ErrorMessage error={error} />
      <p className="success-message" role="status">
        {savedAs === snapshot ? 'Saved. The server uses these settings now.' : ''}
      </p>
      <button type="submit" className="button button-primary" disabled={isSaving || hasProblem} aria-busy={isSaving}>
        Save
      </button>
    </form>
  );
}

/** The ids a control is described by: its hint, its note (where the value comes from) and its problem. */
function describe(id: string, problem?: string, hasHint = false) {
  return {
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': [hasHint ? `${id}-hint` : null, `${id}-note`, problem ? `${id}-problem` : null].filter(Boolean).join(' '),
  };
}

function Setting({ id, label, hint, problem, note, children }: { id: string; label: string; hint?: string; problem?: string; note: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p className="field-error" id={`${id}-problem`}>
          {problem}
        </p>
      )}
      <div id={`${id}-note`}>{note}</div>
    </div>
  );
}

/** Where the value in force comes from: the environment (the default) or this page, with a way back to the default. */
function SourceNote({ isCleared, view, shownDefault, name, onUseDefault }: { isCleared: boolean; view: SettingView<unknown>; shownDefault: string; name: string; onUseDefault: () => void }) {
  if (isCleared) return <p className="setting-source">Back to the environment’s default ({shownDefault}) when you save.</p>;
  if (view.source === 'environment') return <p className="setting-source">From the environment (the default).</p>;
  return (
    <p className="setting-source is-set">
      Set here. The environment’s default is {shownDefault}.{' '}
      <button type="button" className="button-link" aria-label={`Use the default ${name}`} onClick={onUseDefault}>
        Use the default
      </button>
    </p>
  );
}
