/** A rectangle of source pixels (what react-easy-crop reports as `croppedAreaPixels`). */
export interface PixelArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The largest area of `aspect` (width / height) centred in the image: the crop before anyone drags. */
export function centredCrop(imageWidth: number, imageHeight: number, aspect: number): PixelArea {
  const width = Math.min(imageWidth, imageHeight * aspect);
  const height = width / aspect;
  return { x: (imageWidth - width) / 2, y: (imageHeight - height) / 2, width, height };
}

/** Rounds an area to whole pixels and keeps it inside the image (a cropper can report a hair outside). */
export function clampArea(area: PixelArea, imageWidth: number, imageHeight: number): PixelArea {
  const x = Math.max(0, Math.min(imageWidth - 1, Math.round(area.x)));
  const y = Math.max(0, Math.min(imageHeight - 1, Math.round(area.y)));
  const width = Math.max(1, Math.min(imageWidth - x, Math.round(area.width)));
  const height = Math.max(1, Math.min(imageHeight - y, Math.round(area.height)));
  return { x, y, width, height };
}

/**
 * The size the cropped picture is drawn at: the area's own size, scaled down so neither side
 * passes its limit (the server makes smaller sizes itself, so there is no point sending more).
 */
export function outputSize(area: Pick<PixelArea, 'width' | 'height'>, maxWidth: number, maxHeight = maxWidth): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / area.width, maxHeight / area.height);
  return { width: Math.max(1, Math.round(area.width * scale)), height: Math.max(1, Math.round(area.height * scale)) };
}

/** `photo.png` → `photo.jpg`: the name of what the canvas encoded. */
export function croppedName(name: string, type: string): string {
  const extension = type === 'image/webp' ? 'webp' : 'jpg';
  const base = name.replace(/\.[^./]*$/, '') || 'photo';
  return `${base}.${extension}`;
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('The photo could not be read.'));
    image.src = src;
  });
}

export interface RenderOptions {
  maxWidth: number;
  maxHeight?: number;
  /** A CSS filter string (`contrast(1.2) saturate(1.3)`), drawn into the pixels. */
  filter?: string;
  type?: 'image/jpeg' | 'image/webp';
  quality?: number;
  /** The shape of the centred crop used when no area was chosen (a photo never shown in the cropper). */
  aspect?: number;
}

/**
 * Draws the chosen area of a photo (and its filter) onto a canvas and encodes it: the browser
 * sends only what was chosen, so the server stores one original that every client shows alike.
 */
export async function renderCrop(src: string, area: PixelArea | null, options: RenderOptions): Promise<Blob> {
  const image = await loadImage(src);
  const source = clampArea(area ?? centredCrop(image.naturalWidth, image.naturalHeight, options.aspect ?? 1), image.naturalWidth, image.naturalHeight);
  const size = outputSize(source, options.maxWidth, options.maxHeight);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot crop photos.');
  const type = options.type ?? 'image/jpeg';
  if (type === 'image/jpeg') {
    // JPEG has no transparency: a transparent PNG would otherwise turn black.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, size.width, size.height);
  }
  context.filter = options.filter && options.filter !== 'none' ? options.filter : 'none';
  context.imageSmoothingQuality = 'high';
  context.drawImage(image, source.x, source.y, source.width, source.height, 0, 0, size.width, size.height);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The photo could not be cropped.'))), type, options.quality ?? 0.92);
  });
}
