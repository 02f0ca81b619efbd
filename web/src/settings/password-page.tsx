import { useState, type FormEvent } from 'react';
import { ApiError, type FieldErrors } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { changePassword } from '../api/session-api.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';

export function PasswordPage() {
  useDocumentTitle('Change password');
  const api = useApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [isSaving, setSaving] = useState(false);
  const [savedMessage, setSavedMessage] = useState('');

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setFieldErrors({});
    setSavedMessage('');
    setSaving(true);
    try {
      await changePassword(api, current, next);
      setCurrent('');
      setNext('');
      setSavedMessage('Your password has been changed. Other devices have been logged out.');
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setFieldErrors(err.fieldErrors);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="settings-section">
      <h1 className="page-title">Change password</h1>
      <form className="settings-form" onSubmit={submit}>
        <TextField label="Current password" name="current_password" type="password" autoComplete="current-password" required maxLength={200} value={current} errors={fieldErrors.current_password} onChange={(e) => setCurrent(e.target.value)} />
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={200}
          hint="At least 8 characters."
          value={next}
          errors={fieldErrors.password}
          onChange={(e) => setNext(e.target.value)}
        />
        <ErrorMessage error={error} />
        <p className="success-message" role="status">
          {savedMessage}
        </p>
        <button type="submit" className="button button-primary" disabled={isSaving} aria-busy={isSaving}>
          Save
        </button>
      </form>
    </section>
  );
}
