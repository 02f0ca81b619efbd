import { useCallback, useRef, useState, type FormEvent } from 'react';
import { ApiError, type FieldErrors } from '../api/api-client.ts';

export interface FormSubmitOptions<T> {
  /** After the server agreed; a string returned is announced as the success message. */
  onSuccess?: (result: T) => string | void;
  /** Return true when the failure is handled here (e.g. a 404 shown as its own page) and not as the form's message. */
  onError?: (error: unknown) => boolean | void;
}

export interface FormSubmit {
  /** The form's onSubmit: stops the page load and runs the action once at a time. */
  submit: (event?: FormEvent) => void;
  isSubmitting: boolean;
  /** For ErrorMessage: the failure of the last submit, or null. */
  error: unknown;
  /** Mastodon's per-field messages of a 422 (`details`), for each TextField's `errors`. */
  fieldErrors: FieldErrors;
  /** What onSuccess returned for the last submit, for a role="status" line. */
  success: string;
}

/**
 * The submit side of a form: submitting state, the error message, Mastodon's field errors and
 * a success message. A check before the request is an `Error` thrown by the action: its
 * message is shown like the server's.
 */
export function useFormSubmit<T>(action: () => Promise<T>, options: FormSubmitOptions<T> = {}): FormSubmit {
  const [isSubmitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [success, setSuccess] = useState('');
  const latest = useRef({ action, options });
  latest.current = { action, options };
  const busy = useRef(false);

  const submit = useCallback((event?: FormEvent) => {
    event?.preventDefault();
    // A double press (Enter and a click) sends once.
    if (busy.current) return;
    busy.current = true;
    setError(null);
    setFieldErrors({});
    setSuccess('');
    setSubmitting(true);
    const { action: run, options: current } = latest.current;
    // Through a promise, so a check the action throws before any await is caught too.
    Promise.resolve().then(run).then(
      (result) => {
        busy.current = false;
        setSubmitting(false);
        const message = current.onSuccess?.(result);
        if (message) setSuccess(message);
      },
      (err: unknown) => {
        busy.current = false;
        setSubmitting(false);
        if (current.onError?.(err) === true) return;
        setError(err);
        if (err instanceof ApiError) setFieldErrors(err.fieldErrors);
      },
    );
  }, []);

  return { submit, isSubmitting, error, fieldErrors, success };
}
