import type { Account } from '../api/mastodon-types.ts';
import { STORY_LIMITS, type Overlay, type StoryAlign, type StoryFont } from './stories-api.ts';

/** The layers of a story being composed, before they become the API's overlays. */
export interface TextLayer {
  key: string;
  type: 'text';
  text: string;
  x: number;
  y: number;
  rotation: number;
  scale: number;
  /** The chosen colour: of the letters, or of the box behind them when `hasBackground`. */
  colour: string;
  hasBackground: boolean;
  /** An edge of the contrasting colour around the letters (never with a background). */
  hasOutline: boolean;
  font: StoryFont;
  align: StoryAlign;
}

export interface MentionLayer {
  key: string;
  type: 'mention';
  account: Account;
  x: number;
  y: number;
  rotation: number;
  scale: number;
}

export type Layer = TextLayer | MentionLayer;

export const PALETTE = [
  { name: 'White', value: '#ffffff' },
  { name: 'Black', value: '#000000' },
  { name: 'Red', value: '#ed4956' },
  { name: 'Orange', value: '#fd8d32' },
  { name: 'Yellow', value: '#fdcb5c' },
  { name: 'Green', value: '#58c322' },
  { name: 'Blue', value: '#0095f6' },
  { name: 'Purple', value: '#a307ba' },
] as const;

export const FONT_NAMES: Record<StoryFont, string> = {
  classic: 'Classic',
  modern: 'Modern',
  neon: 'Neon',
  typewriter: 'Typewriter',
  strong: 'Strong',
};

let nextKey = 0;
const newKey = () => `layer-${++nextKey}`;

export function canAddLayer(layers: readonly Layer[]): boolean {
  return layers.length < STORY_LIMITS.overlays;
}

export function newTextLayer(): TextLayer {
  return { key: newKey(), type: 'text', text: '', x: 0.5, y: 0.5, rotation: 0, scale: 1, colour: '#ffffff', hasBackground: false, hasOutline: false, font: 'classic', align: 'center' };
}

export function newMentionLayer(account: Account): MentionLayer {
  return { key: newKey(), type: 'mention', account, x: 0.5, y: 0.62, rotation: 0, scale: 1 };
}

const clamp01 = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;

/** A layer moved by a fraction of the picture, kept on the picture. */
export function movedBy<T extends Layer>(layer: T, dx: number, dy: number): T {
  return { ...layer, x: clamp01(layer.x + dx), y: clamp01(layer.y + dy) };
}

export function movedTo<T extends Layer>(layer: T, x: number, y: number): T {
  return { ...layer, x: clamp01(x), y: clamp01(y) };
}

/** Black or white, whichever reads better on `hex`. */
export function contrastOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
  if (!m) return '#ffffff';
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h, 16) / 255);
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.6 ? '#000000' : '#ffffff';
}

/** The colours a text layer is drawn with. */
export function textColours(layer: Pick<TextLayer, 'colour' | 'hasBackground'> & { hasOutline?: boolean }): { color: string; background?: string; outline?: string } {
  if (layer.hasBackground) return { color: contrastOn(layer.colour), background: layer.colour };
  return layer.hasOutline ? { color: layer.colour, outline: contrastOn(layer.colour) } : { color: layer.colour };
}

export function isTextTooLong(layer: Layer): boolean {
  return layer.type === 'text' && layer.text.length > STORY_LIMITS.text;
}

/** The overlays to send: blank text layers are dropped; at most the server's limit. */
export function toOverlays(layers: readonly Layer[]): Overlay[] {
  const overlays: Overlay[] = [];
  for (const layer of layers) {
    const common = { x: layer.x, y: layer.y, ...(layer.rotation ? { rotation: layer.rotation } : {}), ...(layer.scale !== 1 ? { scale: layer.scale } : {}) };
    if (layer.type === 'text') {
      if (layer.text.trim() === '') continue;
      overlays.push({ type: 'text', text: layer.text, ...common, ...textColours(layer), font: layer.font, align: layer.align });
    } else {
      overlays.push({ type: 'mention', account_id: layer.account.id, ...common });
    }
  }
  return overlays.slice(0, STORY_LIMITS.overlays);
}
