import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { requestPasswordReset } from '../api/mail-api.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';

/** "Forgot password?": asks for a reset link by e-mail. The answer never says whether the address has an account. */
export function ForgotPasswordPage() {
  useDocumentTitle('Forgot password');
  const api = useApi();
  const [email, setEmail] = useState('');
  const [isSent, setSent] = useState(false);
  const { submit, isSubmitting, error } = useFormSubmit(() => requestPasswordReset(api, email.trim()), { onSuccess: () => setSent(true) });

  if (isSent) {
    return (
      <div className="auth-done" role="status">
        <h2 className="auth-heading">Check your e-mail</h2>
        <p>If an account uses {email.trim()}, a link to choose a new password is on its way. It works once, within an hour.</p>
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      </div>
    );
  }

  return (
    <>
      <h2 className="auth-heading">Forgot your password?</h2>
      <p className="auth-tagline">Enter your account&rsquo;s e-mail address and we&rsquo;ll send you a link to choose a new one.</p>
      <form className="auth-form" onSubmit={submit}>
        <TextField label="Email" name="email" type="email" autoComplete="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
        <ErrorMessage error={error} />
        <button type="submit" className="button button-primary button-block" disabled={isSubmitting} aria-busy={isSubmitting}>
          Send reset link
        </button>
      </form>
      <p className="auth-switch">
        <Link to="/login">Back to log in</Link>
      </p>
    </>
  );
}
