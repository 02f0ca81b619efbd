const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const full = new Intl.NumberFormat('en');

/** 1234 → "1,234"; 1234567 → "1.2M", as profile counts are shown. */
export function formatCount(value: number): string {
  return value >= 10_000 ? compact.format(value) : full.format(value);
}

export function plural(value: number, one: string, many: string): string {
  return value === 1 ? one : many;
}
