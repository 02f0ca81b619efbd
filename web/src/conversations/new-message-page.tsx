import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import './conversations.css';
import { useApi } from '../api/api-context.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { TextAreaField, TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { sendMessage } from './conversations-api.ts';

/** Usernames typed as "ines, @sam" (a leading @ and commas or spaces between them). */
export function recipientsOf(raw: string): string[] {
  return [...new Set(raw.split(/[\s,]+/).map((s) => s.replace(/^@/, '').trim()).filter(Boolean))];
}

/**
 * A first message to one or more accounts (`?to=username` from a profile's Message button).
 * Writing to the same people again continues the conversation they already have.
 */
export function NewMessagePage() {
  useDocumentTitle('New message');
  const api = useApi();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [to, setTo] = useState(params.get('to') ?? '');
  const [text, setText] = useState('');
  const { submit, isSubmitting, error } = useFormSubmit(
    () => {
      const recipients = recipientsOf(to);
      if (recipients.length === 0) throw new Error('Say whom the message is for.');
      if (text.trim() === '') throw new Error('Write a message first.');
      return sendMessage(api, { text, to: recipients });
    },
    { onSuccess: (sent) => void navigate(sent.glimpse.conversation_id ? `/direct/${sent.glimpse.conversation_id}` : '/direct', { replace: true }) },
  );

  return (
    <div className="page new-message-page">
      <h1 className="page-title">New message</h1>
      <form className="new-message-form" onSubmit={submit}>
        <TextField label="To" name="to" autoComplete="off" required maxLength={600} value={to} onChange={(e) => setTo(e.target.value)} hint="Usernames, separated by commas" />
        <TextAreaField label="Message" name="message" rows={4} maxLength={2200} required value={text} onChange={(e) => setText(e.target.value)} />
        <ErrorMessage error={error} />
        <div className="new-message-actions">
          <Link to="/direct" className="button button-secondary">
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={isSubmitting} aria-busy={isSubmitting}>
            Send
          </button>
        </div>
      </form>
    </div>
  );
}
