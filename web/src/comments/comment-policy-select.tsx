import { useId } from 'react';
import type { CommentPolicy } from '../api/mastodon-types.ts';
import { COMMENT_POLICY_CHOICES } from './comment-policy.ts';

/** "Who can comment": everyone, followers, people you follow, both, or nobody. */
export function CommentPolicySelect({ value, onChange, disabled, hint, label = 'Who can comment' }: { value: CommentPolicy; onChange: (policy: CommentPolicy) => void; disabled?: boolean; hint?: string; label?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="field-input" value={value} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.value as CommentPolicy)}>
        {COMMENT_POLICY_CHOICES.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
