import type { CSSProperties, HTMLAttributes } from 'react';
import type { Account } from '../api/mastodon-types.ts';
import { STORY_FONTS, type MentionOverlay, type Overlay, type TextOverlay } from './stories-api.ts';

const COLOUR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$|^transparent$/;

/** A colour the server accepted (#rrggbb, #rrggbbaa or transparent), or nothing. */
export function safeColour(value: string | undefined): string | undefined {
  return value && COLOUR.test(value) ? value : undefined;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** A 0..1 position as a CSS percentage of the picture. */
export function toPercent(value: number): string {
  const v = Number.isFinite(value) ? clamp(value, 0, 1) : 0.5;
  return `${Math.round(v * 10000) / 100}%`;
}

/**
 * Where a layer sits: its centre at (x, y) of the picture, turned and sized around that
 * centre. Inline styles through React's style prop (the CSP allows those, not style tags).
 */
export function overlayPosition(overlay: Pick<Overlay, 'x' | 'y' | 'rotation' | 'scale'>): CSSProperties {
  const rotation = Number.isFinite(overlay.rotation) ? clamp(overlay.rotation!, -360, 360) : 0;
  const scale = Number.isFinite(overlay.scale) ? clamp(overlay.scale!, 0.1, 10) : 1;
  return {
    left: toPercent(overlay.x),
    top: toPercent(overlay.y),
    transform: `translate(-50%, -50%) rotate(${rotation}deg) scale(${scale})`,
  };
}

export function fontClass(font: string | undefined): string {
  return `story-font-${font && (STORY_FONTS as readonly string[]).includes(font) ? font : 'classic'}`;
}

/** How a text layer looks, apart from where it is. */
export function textAppearance(overlay: Pick<TextOverlay, 'color' | 'background' | 'align' | 'outline'>): CSSProperties {
  const outline = safeColour(overlay.outline);
  return {
    color: safeColour(overlay.color) ?? '#ffffff',
    backgroundColor: safeColour(overlay.background),
    // The outline style: an edge drawn by shadows on every side, legible on any photo.
    ...(outline && outline !== 'transparent' ? { textShadow: `-1.5px -1.5px 0 ${outline}, 1.5px -1.5px 0 ${outline}, -1.5px 1.5px 0 ${outline}, 1.5px 1.5px 0 ${outline}, 0 0 3px ${outline}` } : {}),
    textAlign: overlay.align === 'left' || overlay.align === 'right' ? overlay.align : 'center',
  };
}

export function textOverlayStyle(overlay: TextOverlay): CSSProperties {
  return { ...overlayPosition(overlay), ...textAppearance(overlay) };
}

/** One text layer: real text (any script, emoji), its direction found from its own words. */
export function StoryText({ overlay, className = '', ...rest }: { overlay: TextOverlay; className?: string } & Omit<HTMLAttributes<HTMLParagraphElement>, 'style' | 'dir'>) {
  const hasBackground = Boolean(safeColour(overlay.background)) && overlay.background !== 'transparent';
  return (
    <p
      dir="auto"
      className={`story-overlay story-text ${fontClass(overlay.font)}${hasBackground ? ' has-background' : ''} ${className}`.trim()}
      style={textOverlayStyle(overlay)}
      {...rest}
    >
      {overlay.text}
    </p>
  );
}

export function mentionLabel(account: Pick<Account, 'acct' | 'username'>): string {
  return `@${account.acct || account.username}`;
}

/**
 * The overlays of a story over its picture. Text layers let taps through to the picture;
 * mention stickers are buttons. A mention of an account the story does not list (gone, or
 * blocked since) is left out.
 */
export function StoryOverlays({ overlays, mentions, onOpenAccount }: { overlays: Overlay[]; mentions: Account[]; onOpenAccount?: (account: Account) => void }) {
  const accounts = new Map(mentions.map((a) => [a.id, a]));
  return (
    <div className="story-overlays">
      {overlays.map((overlay, index) => {
        if (overlay.type === 'text') {
          if (typeof overlay.text !== 'string' || overlay.text.trim() === '') return null;
          return <StoryText key={index} overlay={overlay} />;
        }
        if (overlay.type === 'mention') {
          const account = accounts.get(overlay.account_id);
          if (!account) return null;
          return <MentionSticker key={index} overlay={overlay} account={account} onOpen={onOpenAccount} />;
        }
        return null;
      })}
    </div>
  );
}

function MentionSticker({ overlay, account, onOpen }: { overlay: MentionOverlay; account: Account; onOpen?: (account: Account) => void }) {
  const label = mentionLabel(account);
  if (!onOpen) {
    return (
      <span className="story-overlay story-mention" style={overlayPosition(overlay)} dir="ltr">
        {label}
      </span>
    );
  }
  return (
    <button type="button" className="story-overlay story-mention" style={overlayPosition(overlay)} dir="ltr" onClick={() => onOpen(account)}>
      {label}
    </button>
  );
}
