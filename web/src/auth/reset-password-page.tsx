import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { resetPassword } from '../api/mail-api.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';

/** The page a mailed reset link opens (/reset-password/:token): choose a new password. */
export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const api = useApi();
  const { token = '' } = useParams();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [outcome, setOutcome] = useState<'done' | 'invalid-link' | null>(null);
  const { submit, isSubmitting, error, fieldErrors } = useFormSubmit(
    async () => {
      if (password !== confirmation) throw new Error('The two passwords do not match.');
      await resetPassword(api, token, password);
    },
    {
      onSuccess: () => setOutcome('done'),
      onError: (err) => {
        if (!(err instanceof ApiError && err.status === 404)) return false;
        setOutcome('invalid-link');
        return true;
      },
    },
  );

  if (outcome === 'done') {
    return (
      <div className="auth-done" role="status">
        <h2 className="auth-heading">Password changed</h2>
        <p>You were signed out everywhere. Log in with your new password.</p>
        <p>
          <Link to="/login">Log in</Link>
        </p>
      </div>
    );
  }
  if (outcome === 'invalid-link') {
    return (
      <div className="auth-done" role="alert">
        <h2 className="auth-heading">This link does not work</h2>
        <p>It was already used, it has expired, or a newer link replaced it.</p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }

  return (
    <>
      <h2 className="auth-heading">Choose a new password</h2>
      <form className="auth-form" onSubmit={submit}>
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={200}
          hint="At least 8 characters."
          value={password}
          errors={fieldErrors.password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <TextField label="Repeat the new password" name="password_confirmation" type="password" autoComplete="new-password" required maxLength={200} value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
        <ErrorMessage error={error} />
        <button type="submit" className="button button-primary button-block" disabled={isSubmitting} aria-busy={isSubmitting}>
          Set new password
        </button>
      </form>
    </>
  );
}
