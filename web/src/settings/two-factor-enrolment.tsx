import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { confirmTwoFactor, startTwoFactor, type ConfirmedEnrolment, type TwoFactorEnrolment } from '../api/two-factor-api.ts';
import { ErrorMessage, Loading } from '../ui/feedback.tsx';
import { TextField } from '../ui/form-fields.tsx';
import { useFormSubmit } from '../ui/use-form-submit.ts';

/**
 * Setting up two-factor log-in: the server's QR code and secret, then one code from the app to
 * confirm. Used in Settings → Security, and at log-in by staff who must have it
 * (`enrolmentToken`, instead of a session).
 */
export function TwoFactorEnrolmentForm({ enrolmentToken, onConfirmed }: { enrolmentToken?: string; onConfirmed: (confirmed: ConfirmedEnrolment) => void }) {
  const api = useApi();
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [startError, setStartError] = useState<unknown>(null);

  useEffect(() => {
    let isCurrent = true;
    startTwoFactor(api, enrolmentToken).then(
      (started) => isCurrent && setEnrolment(started),
      (err: unknown) => isCurrent && setStartError(err),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, enrolmentToken]);

  const { submit, isSubmitting: isSaving, error } = useFormSubmit(() => confirmTwoFactor(api, code.trim(), enrolmentToken), { onSuccess: onConfirmed });

  if (!enrolment) return startError ? <ErrorMessage error={startError} /> : <Loading label="Preparing two-factor log-in…" />;
  return (
    <form className="settings-form two-factor-enrolment" onSubmit={submit}>
      <p>Scan this QR code with an authenticator app (such as Aegis, FreeOTP, Google Authenticator or 1Password), then enter the 6-digit code it shows.</p>
      <img className="two-factor-qr" alt="QR code for your authenticator app" width={200} height={200} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qr_svg)}`} />
      <p>
        Can&rsquo;t scan it? Enter this key by hand: <code className="two-factor-secret">{enrolment.secret}</code>
      </p>
      <TextField label="Code from the app" name="code" autoComplete="one-time-code" inputMode="numeric" required maxLength={32} value={code} onChange={(e) => setCode(e.target.value)} />
      <ErrorMessage error={error} />
      <button type="submit" className="button button-primary" disabled={isSaving} aria-busy={isSaving}>
        Turn on
      </button>
    </form>
  );
}

/** Recovery codes, shown once, with a copy button. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="two-factor-recovery">
      <p>
        Keep these recovery codes somewhere safe. Each works once instead of a code from the app, if you lose your phone. <strong>They are shown only now.</strong>
      </p>
      <ol className="two-factor-recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <button type="button" className="button button-secondary" onClick={copy}>
        {copied ? 'Copied' : 'Copy codes'}
      </button>
    </div>
  );
}
