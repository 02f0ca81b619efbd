import type { ActiveRuleRow } from './filter-repository.ts';
import { type FilterContext, type FilterRow, decodeContext } from './filter.ts';

/** A filter that matched a status: the FilterResult entity before presenting. */
export interface FilterMatch {
  filter: FilterRow;
  /** The filter's keywords found in the status; null when none were. */
  keywordMatches: string[] | null;
  /** The status's id when the filter names it; null otherwise. */
  statusMatches: string[] | null;
}

/** A status with the viewer's filters that matched it (presented as Status.filtered). */
export interface Filtered {
  filterResults?: FilterMatch[];
}

/** What the matcher reads of a status: its plain text and its id. */
export interface MatchableStatus {
  id: string;
  /** Caption or comment text, spoiler text and media descriptions, as typed. */
  texts: readonly string[];
}

/** Unicode "word" characters, as Ruby's [[:word:]] (letters, marks, digits, connectors). */
const WORD = '[\\p{L}\\p{M}\\p{Nd}\\p{Pc}]';
const startsWithWord = new RegExp(`^${WORD}`, 'u');
const endsWithWord = new RegExp(`${WORD}$`, 'u');

function escapeRegExp(text: string): string {
  // Only syntax characters: under the `u` flag any other escaped character is an error.
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * A keyword as a case-insensitive pattern. With `wholeWord`, it must not continue a word on
 * either side where it starts or ends with a word character (Unicode-aware, so "café" does not
 * match inside "cafés" and "ñu" not inside "ñus"); without it, anywhere.
 */
export function keywordPattern(keyword: string, wholeWord: boolean): RegExp {
  const normalized = keyword.normalize('NFKC');
  const body = escapeRegExp(normalized);
  if (!wholeWord) return new RegExp(body, 'iu');
  const before = startsWithWord.test(normalized) ? `(?<!${WORD})` : '';
  const after = endsWithWord.test(normalized) ? `(?!${WORD})` : '';
  return new RegExp(`${before}${body}${after}`, 'iu');
}

interface CompiledFilter {
  filter: FilterRow;
  keywords: Array<{ keyword: string; pattern: RegExp }>;
  statusIds: Set<string>;
}

/**
 * The viewer's active filters for one context, compiled once per request from the rules one
 * query loaded; matching is then in memory.
 */
export class FilterMatcher {
  private readonly filters: CompiledFilter[];

  constructor(rules: readonly ActiveRuleRow[], context: FilterContext) {
    const byId = new Map<string, CompiledFilter>();
    for (const rule of rules) {
      if (!decodeContext(rule.context).includes(context)) continue;
      let compiled = byId.get(rule.filter_id);
      if (!compiled) {
        const filter: FilterRow = { id: rule.filter_id, account_id: rule.account_id, title: rule.title, context: rule.context, action: rule.action, expires_at: rule.expires_at, created_at: rule.created_at };
        compiled = { filter, keywords: [], statusIds: new Set() };
        byId.set(rule.filter_id, compiled);
      }
      if (rule.kind === 'keyword') compiled.keywords.push({ keyword: rule.value, pattern: keywordPattern(rule.value, Boolean(Number(rule.whole_word))) });
      else compiled.statusIds.add(rule.value);
    }
    this.filters = [...byId.values()].sort((a, b) => (a.filter.id < b.filter.id ? -1 : 1));
  }

  get isEmpty(): boolean {
    return this.filters.length === 0;
  }

  match(status: MatchableStatus): FilterMatch[] {
    if (this.filters.length === 0) return [];
    const text = status.texts.filter((t) => t !== '').join('\n\n').normalize('NFKC');
    const matches: FilterMatch[] = [];
    for (const f of this.filters) {
      const keywords = [...new Set(f.keywords.filter((k) => k.pattern.test(text)).map((k) => k.keyword))];
      const byStatus = f.statusIds.has(status.id);
      if (keywords.length === 0 && !byStatus) continue;
      matches.push({ filter: f.filter, keywordMatches: keywords.length ? keywords : null, statusMatches: byStatus ? [status.id] : null });
    }
    return matches;
  }
}
