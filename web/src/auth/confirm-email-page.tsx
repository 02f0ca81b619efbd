import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { confirmEmail } from '../api/mail-api.ts';
import { ErrorMessage, Loading } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';

/** The landing page of a mailed confirmation link (/confirm-email/:token): confirms once, on arrival. */
export function ConfirmEmailPage() {
  useDocumentTitle('Confirm your e-mail address');
  const api = useApi();
  const { token = '' } = useParams();
  const [state, setState] = useState<{ kind: 'working' } | { kind: 'done' } | { kind: 'invalid-link' } | { kind: 'failed'; error: unknown }>({ kind: 'working' });
  // A link works once: StrictMode's second effect run must not send it again.
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    confirmEmail(api, token).then(
      () => setState({ kind: 'done' }),
      (error: unknown) => setState(error instanceof ApiError && error.status === 404 ? { kind: 'invalid-link' } : { kind: 'failed', error }),
    );
  }, [api, token]);

  if (state.kind === 'working') return <Loading label="Confirming your e-mail address…" />;
  if (state.kind === 'done') {
    return (
      <div className="auth-done" role="status">
        <h2 className="auth-heading">E-mail address confirmed</h2>
        <p>Thanks! You can log in now.</p>
        <p>
          <Link to="/login">Log in</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="auth-done" role={state.kind === 'invalid-link' ? 'alert' : undefined}>
      <h2 className="auth-heading">This link does not work</h2>
      {state.kind === 'failed' ? <ErrorMessage error={state.error} /> : <p>It was already used, it has expired, or a newer link replaced it.</p>}
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </div>
  );
}
