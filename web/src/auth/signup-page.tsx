import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { fetchInstance } from '../api/session-api.ts';
import { useSession } from './session-context.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { CheckboxField, TextAreaField, TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';

interface Registrations {
  enabled: boolean;
  approvalRequired: boolean;
}

export function SignupPage() {
  useDocumentTitle('Sign up');
  const api = useApi();
  const { signUp } = useSession();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [isPending, setPending] = useState(false);
  const [isConfirmationSent, setConfirmationSent] = useState(false);
  const [isAgreementMissing, setAgreementMissing] = useState(false);
  const [registrations, setRegistrations] = useState<Registrations>({ enabled: true, approvalRequired: false });

  useEffect(() => {
    let isCurrent = true;
    fetchInstance(api).then(
      (instance) => {
        if (isCurrent && instance?.registrations) {
          setRegistrations({ enabled: instance.registrations.enabled !== false, approvalRequired: Boolean(instance.registrations.approval_required) });
        }
      },
      // Without the instance details the form still works; the server has the last word.
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);

  const { submit, isSubmitting, error, fieldErrors } = useFormSubmit(
    async () => {
      setAgreementMissing(!agreed);
      if (!agreed) throw new Error('You must agree to the terms to sign up.');
      return signUp({
        username: username.trim(),
        email: email.trim(),
        password,
        agreement: true,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
    },
    {
      onSuccess: (outcome) => {
        if (outcome === 'pending-approval') setPending(true);
        if (outcome === 'confirmation-required') setConfirmationSent(true);
      },
      onError: (err) => {
        if (!(err instanceof ApiError)) return;
        if (err.fieldErrors.agreement) setAgreementMissing(true);
        if (err.fieldErrors.reason) setRegistrations((r) => ({ ...r, approvalRequired: true }));
      },
    },
  );

  if (isConfirmationSent) {
    return (
      <div className="auth-done" role="status">
        <h2 className="auth-heading">Check your e-mail</h2>
        <p>We sent a link to {email.trim()}. Follow it to confirm your address; then you can log in.</p>
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      </div>
    );
  }

  if (isPending) {
    return (
      <div className="auth-done" role="status">
        <h2 className="auth-heading">Thanks for signing up!</h2>
        <p>Your account is waiting for approval. You can log in as soon as a moderator approves it.</p>
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      </div>
    );
  }

  return (
    <>
      <p className="auth-tagline">Sign up to share photos and stories with your friends.</p>
      {!registrations.enabled && <p className="notice">Sign-ups are closed on this server right now.</p>}
      <form className="auth-form" onSubmit={submit}>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={30}
          pattern="[A-Za-z0-9_]+"
          title="Letters, numbers and underscores"
          value={username}
          errors={fieldErrors.username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextField label="Email" name="email" type="email" autoComplete="email" required maxLength={254} value={email} errors={fieldErrors.email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
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
        {registrations.approvalRequired && (
          <TextAreaField
            label="Why do you want to join?"
            name="reason"
            required
            maxLength={500}
            rows={3}
            hint="A moderator reads this before approving your account."
            value={reason}
            errors={fieldErrors.reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
        <CheckboxField label="I agree to the terms" name="agreement" checked={agreed} invalid={isAgreementMissing} onChange={(e) => setAgreed(e.target.checked)} />
        <ErrorMessage error={error} />
        <button type="submit" className="button button-primary button-block" disabled={isSubmitting} aria-busy={isSubmitting}>
          Sign up
        </button>
      </form>
      <p className="auth-switch">
        Have an account? <Link to="/login">Log in</Link>
      </p>
    </>
  );
}
