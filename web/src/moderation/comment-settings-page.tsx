import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import type { CommentPolicy } from '../api/mastodon-types.ts';
import { CommentPolicySelect } from '../comments/comment-policy-select.tsx';
import { isCommentPolicy } from '../comments/comment-policy.ts';
import { fetchCommentSettings, saveCommentSettings } from '../comments/comments-api.ts';
import { ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { useResource } from '../ui/use-resource.ts';
import './moderation.css';

/** Settings → Comments: who may comment on new posts by default. */
export function CommentSettingsPage() {
  useDocumentTitle('Comments');
  const api = useApi();
  const [state, { reload }] = useResource((signal) => fetchCommentSettings(api, signal), 'comment-settings');

  return (
    <section className="settings-section">
      <h1 className="page-title">Comments</h1>
      {state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <LoadError error={state.error} onRetry={reload} />
      ) : (
        <CommentSettingsForm initial={isCommentPolicy(state.data.default_comment_policy) ? state.data.default_comment_policy : 'everyone'} />
      )}
      <p className="muted moderation-intro">
        Keep comments you do not want out of sight with <Link to="/settings/hidden-words" className="text-link">hidden words</Link>.
      </p>
    </section>
  );
}

function CommentSettingsForm({ initial }: { initial: CommentPolicy }) {
  const api = useApi();
  const [policy, setPolicy] = useState<CommentPolicy>(initial);
  const [savedPolicy, setSavedPolicy] = useState<CommentPolicy | null>(null);
  const { submit, isSubmitting: isSaving, error } = useFormSubmit(() => saveCommentSettings(api, { default_comment_policy: policy }), {
    onSuccess: (result) => {
      setPolicy(result.default_comment_policy);
      setSavedPolicy(result.default_comment_policy);
    },
  });

  return (
    <form className="settings-form" onSubmit={submit}>
      <CommentPolicySelect value={policy} onChange={setPolicy} hint="For your new posts. You can change it for each post when you share it, or later on the post's page." />
      <ErrorMessage error={error} />
      <p className="success-message" role="status">
        {savedPolicy !== null && savedPolicy === policy ? 'Saved.' : ''}
      </p>
      <button type="submit" className="button button-primary" disabled={isSaving} aria-busy={isSaving}>
        Save
      </button>
    </form>
  );
}
