import { useId, useState } from 'react';
import { CropPreview, ImageCrop } from '../ui/image-crop.tsx';
import { ASPECTS, FILTERS, aspectRatio, filterCss, type AspectId, type FilterId, type PhotoDraft } from './photo-edits.ts';

interface PhotoEditorProps {
  drafts: PhotoDraft[];
  aspect: AspectId;
  /** Photos already uploaded fix the shape: a carousel has one. */
  isAspectLocked: boolean;
  isBusy: boolean;
  onAspect: (aspect: AspectId) => void;
  onChange: (key: string, change: Partial<PhotoDraft>) => void;
  onDone: () => void;
  onCancel: () => void;
}

/** The step between choosing photos and uploading them: the post's shape, then each photo's crop and filter. */
export function PhotoEditor({ drafts, aspect, isAspectLocked, isBusy, onAspect, onChange, onDone, onCancel }: PhotoEditorProps) {
  const [currentKey, setCurrentKey] = useState(drafts[0]?.key);
  const headingId = useId();
  const lockHintId = useId();
  const current = drafts.find((d) => d.key === currentKey) ?? drafts[0];
  if (!current) return null;
  const number = drafts.indexOf(current) + 1;
  const ratio = aspectRatio(aspect);
  const filter = filterCss(current.filter);

  return (
    <section className="photo-editor" aria-labelledby={headingId}>
      <h2 id={headingId} className="photo-editor-title">
        Crop and filter
      </h2>
      <fieldset className="photo-editor-choices" disabled={isAspectLocked || isBusy} aria-describedby={isAspectLocked ? lockHintId : undefined}>
        <legend className="field-label">Shape</legend>
        {ASPECTS.map((option) => (
          <label key={option.id} className="photo-editor-choice">
            <input type="radio" name="compose-aspect" value={option.id} checked={aspect === option.id} onChange={() => onAspect(option.id)} />
            {option.label}
          </label>
        ))}
        {isAspectLocked && (
          <p id={lockHintId} className="field-hint">
            All photos of a post share one shape, that of the photos already added.
          </p>
        )}
      </fieldset>

      {drafts.length > 1 && (
        <div className="photo-editor-strip" role="group" aria-label="Photos to edit">
          {drafts.map((draft, index) => (
            <button key={draft.key} type="button" className="photo-editor-thumb" aria-pressed={draft.key === current.key} aria-label={`Edit photo ${index + 1}`} onClick={() => setCurrentKey(draft.key)}>
              <CropPreview src={draft.url} area={draft.percentages} aspect={ratio} filter={filterCss(draft.filter)} />
            </button>
          ))}
        </div>
      )}

      <ImageCrop
        key={`${current.key}:${aspect}`}
        src={current.url}
        aspect={ratio}
        filter={filter}
        label={`Crop photo ${number}`}
        onCropChange={(area, percentages) => onChange(current.key, { area, percentages })}
      />

      <fieldset className="photo-editor-filters" disabled={isBusy}>
        <legend className="field-label">Filter for photo {number}</legend>
        <div className="photo-editor-filter-list">
          {FILTERS.map((option) => (
            <label key={option.id} className={`photo-editor-filter${current.filter === option.id ? ' is-selected' : ''}`}>
              <input className="visually-hidden" type="radio" name={`filter-${current.key}`} value={option.id} checked={current.filter === option.id} onChange={() => onChange(current.key, { filter: option.id as FilterId })} />
              <CropPreview src={current.url} area={current.percentages} aspect={ratio} filter={option.css} className="photo-editor-filter-sample" />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="photo-editor-actions">
        <button type="button" className="button button-primary" onClick={onDone} disabled={isBusy} aria-busy={isBusy}>
          {drafts.length === 1 ? 'Add photo' : `Add ${drafts.length} photos`}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={isBusy}>
          Cancel
        </button>
      </div>
    </section>
  );
}
