import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { changePassword } from '../api/session-api.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';

export function PasswordPage() {
  useDocumentTitle('Change password');
  const api = useApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { submit, isSubmitting: isSaving, error, fieldErrors, success } = useFormSubmit(() => changePassword(api, current, next), {
    onSuccess: () => {
      setCurrent('');
      setNext('');
      return 'Your password has been changed. Other devices have been logged out.';
    },
  });

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
          {success}
        </p>
        <button type="submit" className="button button-primary" disabled={isSaving} aria-busy={isSaving}>
          Save
        </button>
      </form>
    </section>
  );
}
