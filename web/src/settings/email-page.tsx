import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, type FieldErrors } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { changeEmail, fetchEmail, type EmailState } from '../api/mail-api.ts';
import { ErrorMessage, LoadError, Loading } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';

/** The account's e-mail address: shown, and changed with the current password. */
export function EmailPage() {
  useDocumentTitle('E-mail address');
  const api = useApi();
  const [state, setState] = useState<EmailState | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [isSaving, setSaving] = useState(false);
  const [savedMessage, setSavedMessage] = useState('');

  const load = useCallback(() => {
    setLoadError(null);
    fetchEmail(api).then(setState, setLoadError);
  }, [api]);
  useEffect(load, [load]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setFieldErrors({});
    setSavedMessage('');
    setSaving(true);
    try {
      const { pending } = await changeEmail(api, email.trim(), password);
      setSavedMessage(
        pending
          ? `We sent a link to ${email.trim()}. Your address changes when you follow it; until then, your current address stays in use.`
          : 'Your e-mail address has been changed.',
      );
      setEmail('');
      setPassword('');
      load();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setFieldErrors(err.fieldErrors);
    } finally {
      setSaving(false);
    }
  };

  if (loadError) return <LoadError error={loadError} onRetry={load} />;
  if (!state) return <Loading />;

  return (
    <section className="settings-section">
      <h1 className="page-title">E-mail address</h1>
      <p>
        Your address is <strong>{state.email}</strong>
        {state.mail_enabled && !state.confirmed ? ' (not confirmed yet)' : ''}.
      </p>
      {state.unconfirmed_email && <p className="notice">Waiting for you to confirm {state.unconfirmed_email}: follow the link we sent there.</p>}
      <form className="settings-form" onSubmit={submit}>
        <TextField label="New e-mail address" name="email" type="email" autoComplete="email" required maxLength={254} value={email} errors={fieldErrors.email} onChange={(e) => setEmail(e.target.value)} />
        <TextField label="Current password" name="current_password" type="password" autoComplete="current-password" required maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorMessage error={error} />
        <p className="success-message" role="status">
          {savedMessage}
        </p>
        <button type="submit" className="button button-primary" disabled={isSaving} aria-busy={isSaving}>
          Change e-mail address
        </button>
      </form>
    </section>
  );
}
