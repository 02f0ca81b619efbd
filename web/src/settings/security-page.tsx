import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { disableTwoFactor, fetchTwoFactor, regenerateRecoveryCodes } from '../api/two-factor-api.ts';
import { ErrorMessage, LoadError, Loading } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { useResource } from '../ui/use-resource.ts';
import { RecoveryCodes, TwoFactorEnrolmentForm } from './two-factor-enrolment.tsx';

/** Settings → Security: two-factor log-in (set up, new recovery codes, turn off). */
export function SecurityPage() {
  useDocumentTitle('Security');
  const api = useApi();
  const [status, { reload }] = useResource(() => fetchTwoFactor(api), 'two-factor');
  const [isEnrolling, setEnrolling] = useState(false);
  const [shownCodes, setShownCodes] = useState<string[] | null>(null);

  let body;
  if (status.status === 'loading') body = <Loading />;
  else if (status.status === 'error') body = <LoadError error={status.error} onRetry={reload} />;
  else if (shownCodes) {
    body = (
      <>
        <p className="success-message" role="status">
          Two-factor log-in is on.
        </p>
        <RecoveryCodes codes={shownCodes} />
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setShownCodes(null);
            reload();
          }}
        >
          Done
        </button>
      </>
    );
  } else if (!status.data.enabled) {
    body = isEnrolling ? (
      <TwoFactorEnrolmentForm
        onConfirmed={(confirmed) => {
          setEnrolling(false);
          setShownCodes(confirmed.recovery_codes);
        }}
      />
    ) : (
      <>
        <p>Two-factor log-in is off. With it on, logging in needs a code from an app on your phone as well as your password.</p>
        {status.data.required && <p role="alert">This instance requires two-factor log-in for staff accounts.</p>}
        <button type="button" className="button button-primary" onClick={() => setEnrolling(true)}>
          Set up two-factor log-in
        </button>
      </>
    );
  } else {
    body = (
      <>
        <p>
          Two-factor log-in is on. {status.data.recovery_codes_remaining} of 10 recovery codes left.
        </p>
        <RegenerateForm onCodes={setShownCodes} />
        {status.data.required ? <p>This instance requires two-factor log-in for staff accounts, so it cannot be turned off.</p> : <DisableForm onDisabled={reload} />}
      </>
    );
  }

  return (
    <section className="settings-section">
      <h1 className="page-title">Security</h1>
      <h2 className="settings-subtitle">Two-factor log-in</h2>
      {body}
    </section>
  );
}

function RegenerateForm({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const api = useApi();
  const [code, setCode] = useState('');
  const { submit, isSubmitting: isSaving, error } = useFormSubmit(() => regenerateRecoveryCodes(api, code.trim()), { onSuccess: ({ recovery_codes }) => onCodes(recovery_codes) });
  return (
    <form className="settings-form" onSubmit={submit} aria-label="New recovery codes">
      <h3>New recovery codes</h3>
      <TextField label="Code from the app" name="code" autoComplete="one-time-code" required maxLength={32} hint="The old recovery codes stop working." value={code} onChange={(e) => setCode(e.target.value)} />
      <ErrorMessage error={error} />
      <button type="submit" className="button button-secondary" disabled={isSaving} aria-busy={isSaving}>
        Make new recovery codes
      </button>
    </form>
  );
}

function DisableForm({ onDisabled }: { onDisabled: () => void }) {
  const api = useApi();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // Once off, the button stays busy until the page has reloaded and drops this form.
  const [isOff, setOff] = useState(false);
  const { submit, isSubmitting, error } = useFormSubmit(() => disableTwoFactor(api, password, code.trim()), {
    onSuccess: () => {
      setOff(true);
      onDisabled();
    },
  });
  const isSaving = isSubmitting || isOff;
  return (
    <form className="settings-form" onSubmit={submit} aria-label="Turn off two-factor log-in">
      <h3>Turn off</h3>
      <TextField label="Current password" name="password" type="password" autoComplete="current-password" required maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} />
      <TextField label="Code from the app or a recovery code" name="disable_code" autoComplete="one-time-code" required maxLength={32} value={code} onChange={(e) => setCode(e.target.value)} />
      <ErrorMessage error={error} />
      <button type="submit" className="button button-secondary" disabled={isSaving} aria-busy={isSaving}>
        Turn off two-factor log-in
      </button>
    </form>
  );
}
