import type { FilterMatch } from '../../../domain/filters/filter-matcher.ts';
import type { V1Filter } from '../../../domain/filters/filter-service.ts';
import { type FilterKeywordRow, type FilterRow, type FilterStatusRow, type FilterWithRules, decodeContext } from '../../../domain/filters/filter.ts';

export function presentFilterKeyword(keyword: FilterKeywordRow) {
  return { id: keyword.id, keyword: keyword.keyword, whole_word: Boolean(Number(keyword.whole_word)) };
}

export function presentFilterStatus(row: FilterStatusRow) {
  return { id: row.id, status_id: row.status_id };
}

/** The Filter entity without its keywords and statuses (as inside a FilterResult). */
function presentFilterHead(filter: FilterRow) {
  return { id: filter.id, title: filter.title, context: decodeContext(filter.context), expires_at: filter.expires_at, filter_action: filter.action };
}

/** The (v2) Filter entity. */
export function presentFilter({ filter, keywords, statuses }: FilterWithRules) {
  return { ...presentFilterHead(filter), keywords: keywords.map(presentFilterKeyword), statuses: statuses.map(presentFilterStatus) };
}

/**
 * A FilterResult in Status.filtered. As on Mastodon, its filter comes without keywords and
 * statuses: keyword_matches and status_matches say what matched.
 */
export function presentFilterResult(match: FilterMatch) {
  return { filter: presentFilterHead(match.filter), keyword_matches: match.keywordMatches, status_matches: match.statusMatches };
}

/** The V1::Filter entity: one keyword of a filter, under the keyword's id. */
export function presentV1Filter({ keyword, filter }: V1Filter) {
  return {
    id: keyword.id,
    phrase: keyword.keyword,
    context: decodeContext(filter.context),
    whole_word: Boolean(Number(keyword.whole_word)),
    expires_at: filter.expires_at,
    irreversible: filter.action === 'hide',
  };
}
