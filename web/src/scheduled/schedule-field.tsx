import { useId } from 'react';
import { Link } from 'react-router';
import { CheckboxField } from '../ui/form-fields.tsx';
import { defaultScheduleTime, earliestScheduleTime, localTimeZone, SCHEDULED_PAGE, toLocalInputValue } from './scheduled-api.ts';
import './scheduled.css';

/**
 * The composer's "Schedule" option: off (null), or the chosen time as a datetime-local value in
 * the user's own time zone (sent as UTC). Turning it on proposes an hour from now.
 */
export function ScheduleField({ value, onChange }: { value: string | null; onChange: (value: string | null) => void }) {
  const inputId = useId();
  const hintId = useId();
  return (
    <div className="schedule-field">
      <CheckboxField
        label="Schedule"
        hint="Share it later, at a time you choose."
        checked={value !== null}
        onChange={(e) => onChange(e.target.checked ? toLocalInputValue(defaultScheduleTime()) : null)}
      />
      {value !== null && (
        <div className="field schedule-time">
          <label className="field-label" htmlFor={inputId}>
            Date and time
          </label>
          <input
            id={inputId}
            type="datetime-local"
            className="field-input"
            min={toLocalInputValue(earliestScheduleTime())}
            step={60}
            required
            value={value}
            aria-describedby={hintId}
            onChange={(e) => onChange(e.target.value)}
          />
          <p className="field-hint" id={hintId}>
            In your time zone ({localTimeZone()}), at least 5 minutes from now.
          </p>
          <p className="field-hint">
            <Link className="text-link" to={SCHEDULED_PAGE}>
              Your scheduled posts
            </Link>
          </p>
        </div>
      )}
    </div>
  );
}
