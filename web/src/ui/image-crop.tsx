import { useId, useState } from 'react';
import Cropper, { type Area, type Point } from 'react-easy-crop';
import 'react-easy-crop/react-easy-crop.css';
import type { PixelArea } from './crop-math.ts';
import './image-crop.css';

export interface ImageCropProps {
  src: string;
  /** Width / height of the crop: 1 for an avatar, 3 for a header, 4/5 for a portrait post. */
  aspect: number;
  /** What the crop is for, said to screen readers ("Crop your profile photo"). */
  label: string;
  round?: boolean;
  /** A CSS filter string shown on the photo while cropping (the live preview of a filter). */
  filter?: string;
  /** The chosen area in source pixels, and in percentages of the photo (for `CropPreview`). */
  onCropChange: (area: PixelArea, percentages: PixelArea) => void;
}

/**
 * Drag (or arrow keys) to move the photo inside the frame, pinch, scroll or the slider to zoom.
 * Styles come from the stylesheet, not an injected <style>: the CSP allows no inline styles.
 */
export function ImageCrop({ src, aspect, label, round = false, filter, onCropChange }: ImageCropProps) {
  const [crop, setCrop] = useState<Point>({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const zoomId = useId();
  const hintId = useId();
  return (
    <div className="image-crop">
      <div className={`image-crop-stage${aspect < 1 ? ' is-portrait' : ''}`}>
        <Cropper
          image={src}
          crop={crop}
          zoom={zoom}
          aspect={aspect}
          cropShape={round ? 'round' : 'rect'}
          showGrid={!round}
          onCropChange={setCrop}
          onZoomChange={setZoom}
          onCropComplete={(percentages: Area, pixels: Area) => onCropChange(pixels, percentages)}
          disableAutomaticStylesInjection
          style={{ mediaStyle: filter && filter !== 'none' ? { filter } : {} }}
          mediaProps={{ alt: '' }}
          cropperProps={{ role: 'group', 'aria-label': label, 'aria-describedby': hintId }}
        />
      </div>
      <p id={hintId} className="field-hint image-crop-hint">
        Drag the photo or use the arrow keys to choose what shows.
      </p>
      <div className="image-crop-zoom">
        <label htmlFor={zoomId} className="field-label">
          Zoom
        </label>
        <input id={zoomId} type="range" min={1} max={3} step={0.05} value={zoom} onChange={(event) => setZoom(Number(event.target.value))} />
      </div>
    </div>
  );
}

/**
 * What the crop will look like, drawn by the browser from the same photo: the chosen area
 * (in percentages) fills a box of the crop's shape. No canvas work until the photo is saved.
 */
export function CropPreview({ src, area, aspect, round = false, filter, className = '' }: { src: string; area: PixelArea | null; aspect: number; round?: boolean; filter?: string; className?: string }) {
  const box = area ?? { x: 0, y: 0, width: 100, height: 100 };
  return (
    <div className={`crop-preview${round ? ' is-round' : ''} ${className}`} style={{ aspectRatio: String(aspect) }}>
      <img
        src={src}
        alt=""
        style={{
          width: `${(100 * 100) / box.width}%`,
          left: `${(-box.x * 100) / box.width}%`,
          top: `${(-box.y * 100) / box.height}%`,
          filter: filter && filter !== 'none' ? filter : undefined,
        }}
      />
    </div>
  );
}
