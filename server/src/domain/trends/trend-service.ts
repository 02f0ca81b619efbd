import type { Viewer } from '../../access/viewer-context.ts';
import { isShownInTrends } from '../../access/trend-policy.ts';
import type { RelationshipRepository } from '../follows/relationship-repository.ts';
import type { Clock } from '../../clock.ts';
import type { HydratedPost, PostHydrator } from '../posts/post-hydrator.ts';
import type { TagService, TagView } from '../tags/tag-service.ts';
import { TREND_WINDOW_DAYS, type TrendRepository } from './trend-repository.ts';

export const TREND_LIMITS = {
  tags: { defaultLimit: 10, maxLimit: 20 },
  statuses: { defaultLimit: 20, maxLimit: 40 },
  links: { defaultLimit: 10, maxLimit: 20 },
  maxOffset: 1000,
} as const;

const DAY_MS = 86_400_000;

export interface TrendPage<T> {
  items: T[];
  /** How many ranked rows the page read (before the viewer's own rules): a full page has more after it. */
  ranked: number;
}

/**
 * What is trending now (docs/architecture.md): tags and posts ranked by recent engagement with
 * publicly listable posts (trend-repository.ts says how it is weighed), the same list for
 * everyone; a signed-in viewer's page then leaves out what they may not see (blocks), through
 * the hydrator. One ranking query per page, then the batched presentation queries.
 */
export class TrendService {
  constructor(
    private readonly trends: TrendRepository,
    private readonly tags: TagService,
    private readonly hydrator: PostHydrator,
    private readonly relationships: RelationshipRepository,
    private readonly clock: Clock,
  ) {}

  /** The id boundaries of the window's days, newest first (ids are milliseconds × 1000). */
  private dayStarts(): string[] {
    const now = this.clock.now().getTime();
    return Array.from({ length: TREND_WINDOW_DAYS }, (_, d) => String(Math.max(0, now - (d + 1) * DAY_MS) * 1000).padStart(16, '0'));
  }

  async tagPage(viewer: Viewer | undefined, limit: number, offset: number): Promise<TrendPage<TagView>> {
    const rows = await this.trends.tags(this.dayStarts(), limit, offset);
    return { items: await this.tags.views(viewer, rows), ranked: rows.length };
  }

  async statusPage(viewer: Viewer | undefined, limit: number, offset: number): Promise<TrendPage<HydratedPost>> {
    const rows = await this.trends.statuses(this.dayStarts(), limit, offset);
    const posts = await this.hydrator.hydrate(viewer, rows.map((r) => r.id));
    if (!viewer || posts.length === 0) return { items: posts, ranked: rows.length };
    const ctx = await this.relationships.loadViewerContext(viewer, posts.map((p) => p.status.account_id));
    return { items: posts.filter((p) => isShownInTrends(ctx, p.status)), ranked: rows.length };
  }
}
