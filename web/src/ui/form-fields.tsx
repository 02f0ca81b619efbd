import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

interface FieldExtras {
  label: string;
  /** Help shown under the field and read with it. */
  hint?: ReactNode;
  /** Server messages for this field, e.g. ['is already taken']. */
  errors?: string[];
  /** Marks the field invalid when the message is shown elsewhere (e.g. in the form's alert). */
  invalid?: boolean;
}

function describedBy(hintId: string, errorId: string, hint: unknown, errors?: string[]): string | undefined {
  const ids = [errors && errors.length > 0 ? errorId : null, hint ? hintId : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldNotes({ hintId, errorId, hint, errors, label }: { hintId: string; errorId: string; hint?: ReactNode; errors?: string[]; label: string }) {
  return (
    <>
      {errors && errors.length > 0 && (
        <p className="field-error" id={errorId}>
          {label} {errors.join(', ')}
        </p>
      )}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </>
  );
}

export function TextField({ label, hint, errors, invalid, ...input }: FieldExtras & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const hasError = Boolean(invalid || (errors && errors.length > 0));
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field-input"
        aria-invalid={hasError || undefined}
        aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, errors)}
        {...input}
      />
      <FieldNotes hintId={`${id}-hint`} errorId={`${id}-error`} hint={hint} errors={errors} label={label} />
    </div>
  );
}

export function TextAreaField({ label, hint, errors, invalid, ...textarea }: FieldExtras & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const hasError = Boolean(invalid || (errors && errors.length > 0));
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className="field-input field-textarea"
        aria-invalid={hasError || undefined}
        aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, errors)}
        {...textarea}
      />
      <FieldNotes hintId={`${id}-hint`} errorId={`${id}-error`} hint={hint} errors={errors} label={label} />
    </div>
  );
}

export function CheckboxField({ label, hint, errors, invalid, ...input }: FieldExtras & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const id = useId();
  const hasError = Boolean(invalid || (errors && errors.length > 0));
  return (
    <div className="field field-checkbox">
      <input
        id={id}
        type="checkbox"
        className="checkbox-input"
        aria-invalid={hasError || undefined}
        aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, errors)}
        {...input}
      />
      <label className="checkbox-label" htmlFor={id}>
        {label}
      </label>
      <FieldNotes hintId={`${id}-hint`} errorId={`${id}-error`} hint={hint} errors={errors} label={label} />
    </div>
  );
}
