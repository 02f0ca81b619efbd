import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { fetchAccountDeletion, requestAccountDeletion } from '../api/account-deletion-api.ts';
import { fetchTwoFactor } from '../api/two-factor-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { ErrorMessage, LoadError, Loading } from '../ui/feedback.tsx';
import { CheckboxField, TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { useResource } from '../ui/use-resource.ts';

const formatDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/**
 * Settings → Delete account: what happens, then a confirmation step (password, the two-factor
 * code when it is on, and a tick box) before the request. The server ends the session; the
 * log-in page then says when the account goes and that logging in before then cancels it.
 */
export function DeleteAccountPage() {
  useDocumentTitle('Delete account');
  const api = useApi();
  const { sessionEnded } = useSession();
  const [resource, { reload }] = useResource(async () => {
    const [deletion, twoFactor] = await Promise.all([fetchAccountDeletion(api), fetchTwoFactor(api)]);
    return { deletion, twoFactorOn: twoFactor.enabled };
  }, 'account-deletion');
  const [isConfirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [isUnderstood, setUnderstood] = useState(false);
  const twoFactorOn = resource.status === 'ready' && resource.data.twoFactorOn;
  const { submit, isSubmitting, error } = useFormSubmit(() => requestAccountDeletion(api, password, twoFactorOn ? code.trim() : undefined), {
    // The server ended every session, this one too: the log-in page says what happens next.
    onSuccess: (scheduled) =>
      sessionEnded(`Your account is hidden and will be deleted on ${formatDate(scheduled.due_at ?? new Date().toISOString())}. Changed your mind? Log in before then and nothing will be deleted.`),
  });

  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <LoadError error={resource.error} onRetry={reload} />;
  const { deletion } = resource.data;

  return (
    <section className="settings-section">
      <h1 className="page-title">Delete account</h1>
      <p>
        Deleting your account removes your posts with their photos, your stories and highlights, your comments, likes and notifications, and who you follow. Your username stays reserved and cannot be
        taken by anyone else.
      </p>
      <p>
        Your account is hidden at once, and deleted {deletion.grace_days === 0 ? 'shortly after' : `${deletion.grace_days} days later`}. Logging in before then cancels the deletion.
      </p>
      {!isConfirming ? (
        <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
          Delete my account…
        </button>
      ) : (
        <form className="settings-form" onSubmit={submit} aria-label="Confirm account deletion">
          <TextField label="Password" name="password" type="password" autoComplete="current-password" required maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} />
          {twoFactorOn && (
            <TextField label="Two-factor code" name="code" autoComplete="one-time-code" required maxLength={32} hint="From your authenticator app, or a recovery code." value={code} onChange={(e) => setCode(e.target.value)} />
          )}
          <CheckboxField label="I understand that my account and everything in it will be deleted" name="understood" required checked={isUnderstood} onChange={(e) => setUnderstood(e.target.checked)} />
          <ErrorMessage error={error} />
          <div className="settings-actions">
            <button type="submit" className="button button-danger" disabled={isSubmitting || !isUnderstood} aria-busy={isSubmitting}>
              Delete my account
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)} disabled={isSubmitting}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
