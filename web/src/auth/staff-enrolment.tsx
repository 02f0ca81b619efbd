import { useState } from 'react';
import type { ConfirmedEnrolment } from '../api/two-factor-api.ts';
import { RecoveryCodes, TwoFactorEnrolmentForm } from '../settings/two-factor-enrolment.tsx';
import { useSession } from './session-context.tsx';

/**
 * At log-in, a staff member the instance requires to use two-factor log-in (and who has not
 * set it up) gets an enrolment token instead of a session: they set it up here, see their
 * recovery codes once, and are then signed in.
 */
export function StaffEnrolment({ enrolmentToken, message }: { enrolmentToken: string; message: string }) {
  const { adoptSession } = useSession();
  const [confirmed, setConfirmed] = useState<ConfirmedEnrolment | null>(null);
  if (confirmed) {
    return (
      <div className="auth-form">
        <p role="status">Two-factor log-in is on.</p>
        <RecoveryCodes codes={confirmed.recovery_codes} />
        <button
          type="button"
          className="button button-primary button-block"
          onClick={() => confirmed.account && confirmed.csrf_token && adoptSession({ account: confirmed.account, csrf_token: confirmed.csrf_token })}
        >
          Continue
        </button>
      </div>
    );
  }
  return (
    <div className="auth-form">
      <p role="alert">{message}</p>
      <TwoFactorEnrolmentForm enrolmentToken={enrolmentToken} onConfirmed={setConfirmed} />
    </div>
  );
}
