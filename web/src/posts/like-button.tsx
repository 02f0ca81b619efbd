import { HeartFilledIcon, HeartIcon } from '../ui/icons.tsx';

/** The heart under a post: a toggle button named "Like" or, once liked, "Unlike". */
export function LikeButton({ liked, onToggle }: { liked: boolean; onToggle: () => void }) {
  return (
    <button type="button" className={`post-action like-button${liked ? ' is-liked' : ''}`} aria-pressed={liked} aria-label={liked ? 'Unlike' : 'Like'} onClick={onToggle}>
      {liked ? <HeartFilledIcon /> : <HeartIcon />}
    </button>
  );
}
