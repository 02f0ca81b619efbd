import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { messageOf } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { CredentialAccount } from '../api/mastodon-types.ts';
import { hasOwnImage, removeProfileImage, uploadProfileImage, type ProfileImagePurpose } from '../api/media-api.ts';
import { Avatar } from '../ui/avatar.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { croppedName, renderCrop, type PixelArea } from '../ui/crop-math.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { CropPreview, ImageCrop } from '../ui/image-crop.tsx';

/** The shape and the size sent for each picture: the server keeps a 400 px square avatar, a wide header. */
export const PROFILE_IMAGE: Record<ProfileImagePurpose, { aspect: number; maxWidth: number; maxHeight: number; noun: string }> = {
  avatar: { aspect: 1, maxWidth: 800, maxHeight: 800, noun: 'profile photo' },
  header: { aspect: 3, maxWidth: 1500, maxHeight: 500, noun: 'header' },
};

interface Draft {
  purpose: ProfileImagePurpose;
  file: File;
  url: string;
  area: PixelArea | null;
  percentages: PixelArea | null;
}

/**
 * The avatar and header of Edit profile: choose a photo, crop it (square or 3:1) with a live
 * preview, save; or remove the one that is set. Cropping happens here, on a canvas, and only
 * the cropped picture is uploaded.
 */
export function ProfileImages({ account, onSaved }: { account: CredentialAccount; onSaved: (account: CredentialAccount) => void }) {
  const api = useApi();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState<ProfileImagePurpose | null>(null);
  const [removing, setRemoving] = useState<ProfileImagePurpose | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const avatarInput = useId();
  const headerInput = useId();
  const headingId = useId();

  // The chosen file's blob: URL lives as long as its crop step.
  const draftUrl = draft?.url;
  useEffect(() => {
    if (!draftUrl) return;
    return () => URL.revokeObjectURL(draftUrl);
  }, [draftUrl]);

  const choose = (purpose: ProfileImagePurpose) => (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    setStatus('');
    if (!file.type.startsWith('image/')) {
      setError(new Error(`${file.name} is not a photo.`));
      return;
    }
    setDraft({ purpose, file, url: URL.createObjectURL(file), area: null, percentages: null });
  };

  const save = async () => {
    if (!draft) return;
    const shape = PROFILE_IMAGE[draft.purpose];
    setBusy(draft.purpose);
    setError(null);
    try {
      const blob = await renderCrop(draft.url, draft.area, { maxWidth: shape.maxWidth, maxHeight: shape.maxHeight, aspect: shape.aspect, type: 'image/jpeg' });
      const saved = await uploadProfileImage(api, draft.purpose, blob, croppedName(draft.file.name, 'image/jpeg'));
      onSaved(saved);
      setStatus(draft.purpose === 'avatar' ? 'Profile photo saved.' : 'Header saved.');
      setDraft(null);
    } catch (err) {
      setError(new Error(messageOf(err)));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (purpose: ProfileImagePurpose) => {
    setBusy(purpose);
    setError(null);
    try {
      onSaved(await removeProfileImage(api, purpose));
      setStatus(purpose === 'avatar' ? 'Profile photo removed.' : 'Header removed.');
      setRemoving(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const hasAvatar = hasOwnImage(account.avatar);
  const hasHeader = hasOwnImage(account.header);

  return (
    <section className="profile-images" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        Profile photo and header
      </h2>
      <div className="profile-images-header">{hasHeader ? <img src={account.header} alt="Your header" /> : <span className="profile-images-header-empty">No header</span>}</div>
      <div className="profile-images-row">
        <div className="profile-images-avatar">
          <Avatar account={account} size="large" />
        </div>
        <div className="profile-images-buttons">
          <div className="profile-images-pair">
            <input id={avatarInput} className="visually-hidden" type="file" accept="image/*" onChange={choose('avatar')} disabled={busy !== null} />
            <label htmlFor={avatarInput} className="button button-secondary button-small">
              {hasAvatar ? 'Change profile photo' : 'Add profile photo'}
            </label>
            {hasAvatar && (
              <button type="button" className="button button-link button-small" onClick={() => setRemoving('avatar')} disabled={busy !== null}>
                Remove profile photo
              </button>
            )}
          </div>
          <div className="profile-images-pair">
            <input id={headerInput} className="visually-hidden" type="file" accept="image/*" onChange={choose('header')} disabled={busy !== null} />
            <label htmlFor={headerInput} className="button button-secondary button-small">
              {hasHeader ? 'Change header' : 'Add header'}
            </label>
            {hasHeader && (
              <button type="button" className="button button-link button-small" onClick={() => setRemoving('header')} disabled={busy !== null}>
                Remove header
              </button>
            )}
          </div>
        </div>
      </div>

      {draft && (
        <div className="profile-images-crop" role="group" aria-label={`Crop your ${PROFILE_IMAGE[draft.purpose].noun}`}>
          <ImageCrop
            key={draft.url}
            src={draft.url}
            aspect={PROFILE_IMAGE[draft.purpose].aspect}
            round={draft.purpose === 'avatar'}
            label={`Crop your ${PROFILE_IMAGE[draft.purpose].noun}`}
            onCropChange={(area, percentages) => setDraft((current) => (current ? { ...current, area, percentages } : current))}
          />
          <div className="profile-images-preview">
            <span className="field-label">Preview</span>
            <CropPreview
              src={draft.url}
              area={draft.percentages}
              aspect={PROFILE_IMAGE[draft.purpose].aspect}
              round={draft.purpose === 'avatar'}
              className={draft.purpose === 'avatar' ? 'profile-images-preview-avatar' : 'profile-images-preview-header'}
            />
          </div>
          <div className="profile-images-crop-actions">
            <button type="button" className="button button-primary" onClick={save} disabled={busy !== null} aria-busy={busy === draft.purpose}>
              {draft.purpose === 'avatar' ? 'Save profile photo' : 'Save header'}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setDraft(null)} disabled={busy !== null}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
      <p className="success-message" role="status">
        {status}
      </p>
      {removing && (
        <ConfirmDialog
          title={removing === 'avatar' ? 'Remove your profile photo?' : 'Remove your header?'}
          confirmLabel="Remove"
          danger
          isBusy={busy === removing}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          <ErrorMessage error={error} />
        </ConfirmDialog>
      )}
    </section>
  );
}
