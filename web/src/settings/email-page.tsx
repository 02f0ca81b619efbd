import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { changeEmail, fetchEmail, type EmailState } from '../api/mail-api.ts';
import { ErrorMessage, LoadError, Loading } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';

/** The account's e-mail address: shown, and changed with the current password. */
export function EmailPage() {
  useDocumentTitle('E-mail address');
  const api = useApi();
  const [state, setState] = useState<EmailState | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const load = useCallback(() => {
    setLoadError(null);
    fetchEmail(api).then(setState, setLoadError);
  }, [api]);
  useEffect(load, [load]);

  const { submit, isSubmitting: isSaving, error, fieldErrors, success: savedMessage } = useFormSubmit(() => changeEmail(api, email.trim(), password), {
    onSuccess: ({ pending }) => {
      const message = pending
        ? `We sent a link to ${email.trim()}. Your address changes when you follow it; until then, your current address stays in use.`
        : 'Your e-mail address has been changed.';
      setEmail('');
      setPassword('');
      load();
      return message;
    },
  });

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
