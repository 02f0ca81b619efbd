import type { PostHydrator, SharedPosts } from '../posts/post-hydrator.ts';

/** An event's burst (one post reaching every live recipient here) is served by one load. */
const FRESH_MS = 3000;
const MAX_ENTRIES = 500;

/**
 * The viewer-independent part of the posts streams deliver, loaded once per process and
 * version (`rev`) and shared by every recipient here, each adding only its own part
 * (PostHydrator.forViewer). Entries are kept for a few seconds only, so counts stay current,
 * and an edit (a new `rev`) is never served from the version before it.
 */
export class SharedPostCache {
  private readonly entries = new Map<string, { at: number; value: Promise<SharedPosts> }>();

  constructor(private readonly hydrator: PostHydrator) {}

  get(id: string, rev: string): Promise<SharedPosts> {
    const key = `${id}:${rev}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < FRESH_MS) return hit.value;
    const value = this.hydrator.loadSharedPosts([id]);
    value.catch(() => this.entries.delete(key));
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    // Oldest first (insertion order): the bound drops the longest held.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  /** A deleted post: nothing more is served from its loads. */
  drop(id: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${id}:`)) this.entries.delete(key);
  }
}
