import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { updateCredentials, verifyCredentials } from '../api/accounts-api.ts';
import type { CredentialAccount } from '../api/mastodon-types.ts';
import { useSession } from '../auth/session-context.tsx';
import { ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { CheckboxField, TextAreaField, TextField } from '../ui/form-fields.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { useResource } from '../ui/use-resource.ts';
import { ProfileImages } from './profile-images.tsx';
import './profile.css';

export const DISPLAY_NAME_MAX = 100;
export const BIO_MAX = 500;

export function EditProfilePage() {
  useDocumentTitle('Edit profile');
  const api = useApi();
  const [state, { reload }] = useResource((signal) => verifyCredentials(api, signal), 'self');
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={reload} />;
  return <EditProfileForm initial={state.data} />;
}

function EditProfileForm({ initial }: { initial: CredentialAccount }) {
  const api = useApi();
  const { replaceAccount } = useSession();
  const [account, setAccount] = useState(initial);
  const [displayName, setDisplayName] = useState(initial.display_name ?? '');
  const [bio, setBio] = useState(initial.source?.note ?? '');
  const [isLocked, setLocked] = useState(Boolean(initial.locked));

  const { submit, isSubmitting: isSaving, error, fieldErrors, success: savedMessage } = useFormSubmit(
    () => updateCredentials(api, { display_name: displayName.trim(), note: bio, locked: isLocked }),
    {
      onSuccess: (saved) => {
        setAccount(saved);
        setDisplayName(saved.display_name ?? '');
        setBio(saved.source?.note ?? bio);
        setLocked(Boolean(saved.locked));
        replaceAccount(saved);
        return 'Profile saved.';
      },
    },
  );

  return (
    <section className="settings-section">
      <h1 className="page-title">Edit profile</h1>
      <ProfileImages
        account={account}
        onSaved={(saved) => {
          setAccount(saved);
          replaceAccount(saved);
        }}
      />
      <p className="edit-profile-username">@{account.acct}</p>
      <form className="settings-form" onSubmit={submit}>
        <TextField label="Display name" name="display_name" autoComplete="nickname" maxLength={DISPLAY_NAME_MAX} value={displayName} errors={fieldErrors.display_name} onChange={(e) => setDisplayName(e.target.value)} />
        <TextAreaField
          label="Bio"
          name="note"
          rows={4}
          maxLength={BIO_MAX}
          hint={`${bio.length} / ${BIO_MAX}`}
          value={bio}
          errors={fieldErrors.note}
          onChange={(e) => setBio(e.target.value)}
        />
        <CheckboxField
          label="Private account"
          name="locked"
          checked={isLocked}
          hint="Only people you approve can see your photos, stories and who you follow. Your profile picture, name and bio stay visible."
          onChange={(e) => setLocked(e.target.checked)}
        />
        <ErrorMessage error={error} />
        <p className="success-message" role="status">
          {savedMessage}
        </p>
        <button type="submit" className="button button-primary" disabled={isSaving} aria-busy={isSaving}>
          Save
        </button>
      </form>
    </section>
  );
}
