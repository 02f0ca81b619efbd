import type { Viewer } from '../../access/viewer-context.ts';
import { canManageFilter, isFilterActive } from '../../access/filter-policy.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { notFound, unprocessable } from '../../errors.ts';
import type { HydratedPost, PostHydrator } from '../posts/post-hydrator.ts';
import { type FilterMatch, type Filtered, FilterMatcher } from './filter-matcher.ts';
import type { ActiveRuleRow, FilterRepository } from './filter-repository.ts';
import { VersionedCache } from '../../infra/cache/versioned-cache.ts';
import {
  FILTER_LIMITS,
  type FilterAction,
  type FilterContext,
  type FilterKeywordRow,
  type FilterRow,
  type FilterStatusRow,
  type FilterWithRules,
  encodeContext,
} from './filter.ts';

export interface KeywordInput {
  keyword: string;
  wholeWord?: boolean;
}

/** keywords_attributes[] of an update: with an id, changes or (`destroy`) removes that keyword. */
export interface KeywordChange {
  id?: string;
  keyword?: string;
  wholeWord?: boolean;
  destroy?: boolean;
}

export interface FilterInput {
  title: string;
  context: readonly FilterContext[];
  action?: FilterAction;
  /** Seconds from now; null or absent: never expires. */
  expiresIn?: number | null;
  keywords?: readonly KeywordInput[];
}

export interface FilterChanges {
  title?: string;
  context?: readonly FilterContext[];
  action?: FilterAction;
  /** undefined: unchanged; null: never expires. */
  expiresIn?: number | null;
  keywords?: readonly KeywordChange[];
}

/** A V1::Filter: one keyword of a filter (its id is the keyword's). */
export interface V1Filter {
  keyword: FilterKeywordRow;
  filter: FilterRow;
}

export interface V1FilterInput {
  phrase: string;
  context: readonly FilterContext[];
  irreversible?: boolean;
  wholeWord?: boolean;
  expiresIn?: number | null;
}

/** A streaming connection's filters (FilterService.streamRules): applied in memory, `hide` matches removed. */
export interface StreamFilters {
  apply<T extends HydratedPost>(context: FilterContext, posts: readonly T[]): Array<T & Filtered>;
}

/**
 * Mastodon's filters: an account's keywords and statuses to warn about, hide or blur in the
 * contexts it chose. The v1 API is mapped onto the same storage as Mastodon does: a v1 filter
 * is one keyword of a filter titled by its phrase (irreversible = hide).
 *
 * Applying them (`apply`) costs one query per request, none when there is nothing to filter or
 * nobody signed in; matching is in memory.
 */
export class FilterService {
  constructor(
    private readonly db: Db,
    private readonly filters: FilterRepository,
    private readonly hydrator: PostHydrator,
    private readonly clock: Clock,
    /** After a change to an account's filters: its open streams reload them (services.ts publishes `filters.changed`). */
    private readonly onChanged: (accountId: string) => void = () => {},
    /** Each account's active rules under its users.filters_version (capacity 0 keeps none). */
    private readonly rulesCache = new VersionedCache<ActiveRuleRow[]>(0),
  ) {}

  /**
   * A change to the viewer's filters, in one transaction that also bumps its filters_version (so
   * every process's kept rules stop being used); its open streams hear of it once committed.
   */
  private async write<T>(viewer: Viewer, change: (trx: Db) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(async (trx) => {
      const done = await change(trx);
      await this.filters.bumpVersion(viewer.accountId, trx);
      return done;
    });
    this.onChanged(viewer.accountId);
    return result;
  }

  // ---- v2 filters ----

  async all(viewer: Viewer): Promise<FilterWithRules[]> {
    return this.withRules(await this.filters.ownedBy(viewer.accountId));
  }

  async get(viewer: Viewer, id: string): Promise<FilterWithRules> {
    const [found] = await this.withRules([await this.owned(viewer, id)]);
    return found;
  }

  async create(viewer: Viewer, input: FilterInput): Promise<FilterWithRules> {
    const now = this.clock.now();
    const row: FilterRow = {
      id: newId(now.getTime()),
      account_id: viewer.accountId,
      title: requireTitle(input.title),
      context: requireContext(input.context),
      action: input.action ?? 'warn',
      expires_at: this.expiresAt(input.expiresIn),
      created_at: now.toISOString(),
    };
    const keywords = (input.keywords ?? []).map((k) => this.keywordRow(row.id, k.keyword, k.wholeWord));
    if (keywords.length > FILTER_LIMITS.keywordsPerFilter) throw tooManyKeywords();
    await this.write(viewer, async (trx) => {
      if ((await this.filters.countOwnedBy(viewer.accountId, trx)) >= FILTER_LIMITS.perAccount) {
        throw unprocessable(`Validation failed: you can have at most ${FILTER_LIMITS.perAccount} filters`);
      }
      await this.filters.insert(row, trx);
      await this.filters.insertKeywords(keywords, trx);
    });
    return this.get(viewer, row.id);
  }

  async update(viewer: Viewer, id: string, changes: FilterChanges): Promise<FilterWithRules> {
    const filter = await this.owned(viewer, id);
    await this.write(viewer, async (trx) => {
      await this.filters.update(
        filter.id,
        {
          ...(changes.title !== undefined ? { title: requireTitle(changes.title) } : {}),
          ...(changes.context !== undefined ? { context: requireContext(changes.context) } : {}),
          ...(changes.action !== undefined ? { action: changes.action } : {}),
          ...(changes.expiresIn !== undefined ? { expires_at: this.expiresAt(changes.expiresIn) } : {}),
        },
        trx,
      );
      if (changes.keywords?.length) await this.changeKeywords(filter.id, changes.keywords, trx);
    });
    return this.get(viewer, filter.id);
  }

  async remove(viewer: Viewer, id: string): Promise<void> {
    const filter = await this.owned(viewer, id);
    await this.write(viewer, (trx) => this.filters.delete(filter.id, trx));
  }

  // ---- keywords ----

  async keywords(viewer: Viewer, filterId: string): Promise<FilterKeywordRow[]> {
    return this.filters.keywordsOf([(await this.owned(viewer, filterId)).id]);
  }

  async addKeyword(viewer: Viewer, filterId: string, input: KeywordInput): Promise<FilterKeywordRow> {
    const filter = await this.owned(viewer, filterId);
    const row = this.keywordRow(filter.id, input.keyword, input.wholeWord);
    await this.write(viewer, async (trx) => {
      if ((await this.filters.countKeywords(filter.id, trx)) >= FILTER_LIMITS.keywordsPerFilter) throw tooManyKeywords();
      await this.filters.insertKeywords([row], trx);
    });
    return row;
  }

  async keyword(viewer: Viewer, id: string): Promise<FilterKeywordRow> {
    const keyword = await this.filters.findKeyword(id);
    if (!keyword) throw notFound();
    await this.owned(viewer, keyword.filter_id);
    return keyword;
  }

  async updateKeyword(viewer: Viewer, id: string, input: Partial<KeywordInput>): Promise<FilterKeywordRow> {
    const keyword = await this.keyword(viewer, id);
    const changes = {
      ...(input.keyword !== undefined ? { keyword: requireKeyword(input.keyword) } : {}),
      ...(input.wholeWord !== undefined ? { whole_word: input.wholeWord ? 1 : 0 } : {}),
    };
    await this.write(viewer, (trx) => this.filters.updateKeyword(keyword.id, changes, trx));
    return this.keyword(viewer, id);
  }

  async removeKeyword(viewer: Viewer, id: string): Promise<void> {
    const keyword = await this.keyword(viewer, id);
    await this.write(viewer, (trx) => this.filters.deleteKeywords(keyword.filter_id, [keyword.id], trx));
  }

  // ---- statuses ----

  async statuses(viewer: Viewer, filterId: string): Promise<FilterStatusRow[]> {
    return this.filters.statusesOf([(await this.owned(viewer, filterId)).id]);
  }

  /** Only a status the viewer may see; one already in the filter is 422. */
  async addStatus(viewer: Viewer, filterId: string, statusId: string): Promise<FilterStatusRow> {
    const filter = await this.owned(viewer, filterId);
    const [post] = await this.hydrator.hydrate(viewer, [statusId]);
    if (!post) throw notFound();
    const now = this.clock.now();
    const row: FilterStatusRow = { id: newId(now.getTime()), filter_id: filter.id, status_id: post.status.id, created_at: now.toISOString() };
    await this.write(viewer, async (trx) => {
      if ((await this.filters.countStatuses(filter.id, trx)) >= FILTER_LIMITS.statusesPerFilter) {
        throw unprocessable(`Validation failed: a filter holds at most ${FILTER_LIMITS.statusesPerFilter} statuses`);
      }
      if (!(await this.filters.insertStatus(row, trx))) throw unprocessable('Validation failed: Status has already been taken');
    });
    return row;
  }

  async status(viewer: Viewer, id: string): Promise<FilterStatusRow> {
    const row = await this.filters.findStatus(id);
    if (!row) throw notFound();
    await this.owned(viewer, row.filter_id);
    return row;
  }

  async removeStatus(viewer: Viewer, id: string): Promise<void> {
    const row = await this.status(viewer, id);
    await this.write(viewer, (trx) => this.filters.deleteStatus(row.id, trx));
  }

  // ---- v1 filters: one keyword each ----

  async v1All(viewer: Viewer): Promise<V1Filter[]> {
    const filters = await this.filters.ownedBy(viewer.accountId);
    const byId = new Map(filters.map((f) => [f.id, f]));
    const keywords = await this.filters.keywordsOf(filters.map((f) => f.id));
    return keywords.map((keyword) => ({ keyword, filter: byId.get(keyword.filter_id)! }));
  }

  async v1Get(viewer: Viewer, keywordId: string): Promise<V1Filter> {
    const keyword = await this.keyword(viewer, keywordId);
    return { keyword, filter: await this.owned(viewer, keyword.filter_id) };
  }

  async v1Create(viewer: Viewer, input: V1FilterInput): Promise<V1Filter> {
    const created = await this.create(viewer, {
      title: input.phrase,
      context: input.context,
      action: input.irreversible ? 'hide' : 'warn',
      expiresIn: input.expiresIn,
      keywords: [{ keyword: input.phrase, wholeWord: input.wholeWord }],
    });
    return { keyword: created.keywords[0], filter: created.filter };
  }

  /**
   * Changes the keyword, and its filter's context, action and expiry. As on Mastodon, a filter
   * holding more than one keyword (made through v2) cannot have those changed through v1.
   */
  async v1Update(viewer: Viewer, keywordId: string, input: Partial<V1FilterInput>): Promise<V1Filter> {
    const { keyword, filter } = await this.v1Get(viewer, keywordId);
    const filterChanges = {
      ...(input.context !== undefined ? { context: requireContext(input.context) } : {}),
      ...(input.irreversible !== undefined ? { action: input.irreversible ? ('hide' as const) : ('warn' as const) } : {}),
      ...(input.expiresIn !== undefined ? { expires_at: this.expiresAt(input.expiresIn) } : {}),
    };
    const changesFilter = Object.entries(filterChanges).some(([k, v]) => filter[k as keyof FilterRow] !== v);
    await this.write(viewer, async (trx) => {
      const keywordCount = await this.filters.countKeywords(filter.id, trx);
      if (changesFilter && keywordCount > 1) {
        throw unprocessable('Validation failed: this filter has more than one keyword; change it through the v2 API');
      }
      // A filter v1 made is titled by its phrase: renaming the phrase renames it.
      const retitle = input.phrase !== undefined && keywordCount === 1 && filter.title === keyword.keyword ? { title: requireTitle(input.phrase) } : {};
      await this.filters.updateKeyword(
        keyword.id,
        {
          ...(input.phrase !== undefined ? { keyword: requireKeyword(input.phrase) } : {}),
          ...(input.wholeWord !== undefined ? { whole_word: input.wholeWord ? 1 : 0 } : {}),
        },
        trx,
      );
      await this.filters.update(filter.id, { ...filterChanges, ...retitle }, trx);
    });
    return this.v1Get(viewer, keywordId);
  }

  /** Removes the keyword; its filter goes too once it holds no keyword and no status. */
  async v1Remove(viewer: Viewer, keywordId: string): Promise<void> {
    const { keyword, filter } = await this.v1Get(viewer, keywordId);
    await this.write(viewer, async (trx) => {
      await this.filters.deleteKeywords(filter.id, [keyword.id], trx);
      if ((await this.filters.countKeywords(filter.id, trx)) === 0 && (await this.filters.countStatuses(filter.id, trx)) === 0) {
        await this.filters.delete(filter.id, trx);
      }
    });
  }

  // ---- applying them ----

  /**
   * The viewer's active filters for `context` applied to a response's statuses: each matched
   * status carries its FilterMatches; with `hide` (the default) a status a `hide` filter
   * matched is left out. One query for all the lists together.
   */
  async applyEach<T extends HydratedPost>(viewer: Viewer | undefined, context: FilterContext, lists: readonly T[][], options: { hide?: boolean } = {}): Promise<Array<Array<T & Filtered>>> {
    const rules = await this.rulesFor(viewer, lists.flat());
    return lists.map((list) => applyRules(rules, context, list, options.hide ?? true));
  }

  async apply<T extends HydratedPost>(viewer: Viewer | undefined, context: FilterContext, posts: readonly T[], options: { hide?: boolean } = {}): Promise<Array<T & Filtered>> {
    const [applied] = await this.applyEach(viewer, context, [[...posts]], options);
    return applied;
  }

  /** The same statuses read in several contexts (one connection's streams): one query, each context's result. */
  async applyInContexts<T extends HydratedPost>(viewer: Viewer | undefined, contexts: readonly FilterContext[], posts: readonly T[]): Promise<Map<FilterContext, Array<T & Filtered>>> {
    const rules = await this.rulesFor(viewer, posts);
    return new Map(contexts.map((context) => [context, applyRules(rules, context, posts, true)]));
  }

  /**
   * All of the viewer's active rules, loaded once for a streaming connection (one query) and
   * applied to each event in memory; a rule whose filter expires meanwhile stops applying. The
   * connection reloads them when told the viewer changed its filters (`filters.changed`).
   */
  async streamRules(viewer: Viewer): Promise<StreamFilters> {
    const rules = await this.filters.activeRules(viewer.accountId, this.clock.now(), 'all');
    return {
      apply: <T extends HydratedPost>(context: FilterContext, posts: readonly T[]) => {
        const now = this.clock.now();
        return applyRules(rules.filter((r) => isFilterActive(r, now)), context, posts, true);
      },
    };
  }

  /**
   * The viewer's active rules for these statuses: none without a viewer or statuses; kept
   * rules when the request read the viewer's filters_version (its token did), else one query.
   * Kept rules were active when loaded; each is checked again against the clock here.
   */
  private async rulesFor(viewer: Viewer | undefined, posts: readonly HydratedPost[]): Promise<ActiveRuleRow[]> {
    if (!viewer || posts.length === 0) return [];
    const now = this.clock.now();
    const version = viewer.filtersVersion;
    if (version === undefined || this.rulesCache.capacity === 0) return this.filters.activeRules(viewer.accountId, now, [...new Set(posts.map((p) => p.status.id))]);
    let rules = this.rulesCache.get(viewer.accountId, version);
    if (!rules) {
      rules = await this.filters.activeRules(viewer.accountId, now, 'all');
      this.rulesCache.set(viewer.accountId, version, rules);
    }
    const onPage = new Set(posts.map((p) => p.status.id));
    return rules.filter((r) => isFilterActive(r, now) && (r.kind === 'keyword' || onPage.has(r.value)));
  }

  // ---- helpers ----

  /** The viewer's filter, or 404 (someone else's filter is answered as missing). */
  private async owned(viewer: Viewer, id: string, db: Db = this.db): Promise<FilterRow> {
    const filter = await this.filters.findById(id, db);
    if (!filter || !canManageFilter({ viewer }, filter)) throw notFound();
    return filter;
  }

  private async withRules(filters: FilterRow[]): Promise<FilterWithRules[]> {
    const ids = filters.map((f) => f.id);
    const [keywords, statuses] = await Promise.all([this.filters.keywordsOf(ids), this.filters.statusesOf(ids)]);
    return filters.map((filter) => ({
      filter,
      keywords: keywords.filter((k) => k.filter_id === filter.id),
      statuses: statuses.filter((s) => s.filter_id === filter.id),
    }));
  }

  private keywordRow(filterId: string, keyword: string, wholeWord: boolean | undefined): FilterKeywordRow {
    const now = this.clock.now();
    return { id: newId(now.getTime()), filter_id: filterId, keyword: requireKeyword(keyword), whole_word: wholeWord === false ? 0 : 1, created_at: now.toISOString() };
  }

  private expiresAt(expiresIn: number | null | undefined): string | null {
    if (expiresIn === null || expiresIn === undefined) return null;
    return new Date(this.clock.now().getTime() + expiresIn * 1000).toISOString();
  }

  private async changeKeywords(filterId: string, changes: readonly KeywordChange[], trx: Db): Promise<void> {
    const existing = new Set((await this.filters.keywordsOf([filterId], trx)).map((k) => k.id));
    const destroyed: string[] = [];
    const added: FilterKeywordRow[] = [];
    for (const change of changes) {
      if (change.id === undefined) {
        if (!change.destroy) added.push(this.keywordRow(filterId, change.keyword ?? '', change.wholeWord));
        continue;
      }
      // A keyword of another filter (or nobody's) is answered as missing.
      if (!existing.has(change.id)) throw notFound();
      if (change.destroy) {
        destroyed.push(change.id);
        continue;
      }
      await this.filters.updateKeyword(
        change.id,
        {
          ...(change.keyword !== undefined ? { keyword: requireKeyword(change.keyword) } : {}),
          ...(change.wholeWord !== undefined ? { whole_word: change.wholeWord ? 1 : 0 } : {}),
        },
        trx,
      );
    }
    if (existing.size - new Set(destroyed).size + added.length > FILTER_LIMITS.keywordsPerFilter) throw tooManyKeywords();
    await this.filters.deleteKeywords(filterId, destroyed, trx);
    await this.filters.insertKeywords(added, trx);
  }
}

/** Each matched status carries its matches; with `hide`, one a hide filter matched is left out. */
function applyRules<T extends HydratedPost>(rules: readonly ActiveRuleRow[], context: FilterContext, posts: readonly T[], hide: boolean): Array<T & Filtered> {
  const matcher = new FilterMatcher(rules, context);
  if (matcher.isEmpty) return [...posts];
  return posts.flatMap((post) => {
    const matches: FilterMatch[] = matcher.match({ id: post.status.id, texts: [post.status.spoiler_text, post.status.text, ...post.media.map((m) => m.description)] });
    if (matches.length === 0) return [post];
    if (hide && matches.some((m) => m.filter.action === 'hide')) return [];
    return [{ ...post, filterResults: matches }];
  });
}

const tooManyKeywords = () => unprocessable(`Validation failed: a filter holds at most ${FILTER_LIMITS.keywordsPerFilter} keywords`);

function requireTitle(title: string): string {
  if (title.trim() === '') throw unprocessable("Validation failed: Title can't be blank");
  if (title.length > FILTER_LIMITS.titleLength) throw unprocessable(`Validation failed: Title is too long (maximum is ${FILTER_LIMITS.titleLength} characters)`);
  return title;
}

function requireKeyword(keyword: string): string {
  if (keyword.trim() === '') throw unprocessable("Validation failed: Keyword can't be blank");
  if (keyword.length > FILTER_LIMITS.keywordLength) throw unprocessable(`Validation failed: Keyword is too long (maximum is ${FILTER_LIMITS.keywordLength} characters)`);
  return keyword;
}

function requireContext(context: readonly FilterContext[]): string {
  const encoded = encodeContext(context);
  if (encoded === '') throw unprocessable("Validation failed: Context can't be blank");
  return encoded;
}
