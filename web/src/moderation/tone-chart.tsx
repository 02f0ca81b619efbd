import { useId } from 'react';
import { TONES, type Tone, type ToneBucket } from './moderation-api.ts';

export const TONE_LABELS: Record<Tone, string> = {
  supportive: 'Supportive',
  critical: 'Critical',
  question: 'Questions',
  neutral: 'Neutral',
};

const HOUR = 60 * 60 * 1000;
/** Gaps between hours are drawn as empty hours up to this span; beyond it only the hours with comments. */
const MAX_FILLED_HOURS = 240;

const fullCount = new Intl.NumberFormat('en');
const hourFormat = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });
const dayHourFormat = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function bucketTotal(bucket: ToneBucket): number {
  return TONES.reduce((sum, tone) => sum + (bucket[tone] ?? 0), 0);
}

/** The server's hours in order, with the empty hours between them filled in (when few enough). */
export function hourlySeries(buckets: ToneBucket[]): ToneBucket[] {
  const sorted = [...buckets].filter((b) => !Number.isNaN(Date.parse(b.at))).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (sorted.length < 2) return sorted;
  const first = Date.parse(sorted[0].at);
  const last = Date.parse(sorted[sorted.length - 1].at);
  const span = Math.round((last - first) / HOUR);
  if (span > MAX_FILLED_HOURS) return sorted;
  const byHour = new Map(sorted.map((b) => [Math.round((Date.parse(b.at) - first) / HOUR), b]));
  const filled: ToneBucket[] = [];
  for (let i = 0; i <= span; i++) {
    filled.push(byHour.get(i) ?? { at: new Date(first + i * HOUR).toISOString(), supportive: 0, critical: 0, question: 0, neutral: 0 });
  }
  return filled;
}

function describeHour(at: string, spansDays: boolean): string {
  const time = Date.parse(at);
  return (spansDays ? dayHourFormat : hourFormat).format(time);
}

function describeBucket(bucket: ToneBucket, spansDays: boolean): string {
  const parts = TONES.filter((tone) => bucket[tone] > 0).map((tone) => `${fullCount.format(bucket[tone])} ${TONE_LABELS[tone].toLowerCase()}`);
  return `${describeHour(bucket.at, spansDays)}: ${parts.length > 0 ? parts.join(', ') : 'no comments'}`;
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 28, left: 40 };

/**
 * Comments per hour as stacked bars, one colour per tone, drawn by React as SVG. The picture
 * has a text summary; the same numbers are in a table underneath.
 */
export function ToneChart({ buckets }: { buckets: ToneBucket[] }) {
  const titleId = useId();
  const descId = useId();
  const series = hourlySeries(buckets);
  if (series.length === 0) return <p className="muted">No comments yet.</p>;

  const first = Date.parse(series[0].at);
  const last = Date.parse(series[series.length - 1].at);
  const spansDays = new Date(first).toDateString() !== new Date(last).toDateString();
  const totals = series.map(bucketTotal);
  const max = Math.max(1, ...totals);
  const peak = series[totals.indexOf(Math.max(...totals))];
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = plotWidth / series.length;
  const barWidth = Math.max(1, Math.min(48, step * 0.75));
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(series.length / 6));
  const ticks = max >= 2 ? [0, Math.round(max / 2), max] : [0, max];

  return (
    <figure className="tone-chart">
      <svg className="tone-chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`} preserveAspectRatio="xMidYMid meet">
        <title id={titleId}>Comments per hour by tone</title>
        <desc id={descId}>
          {`${series.length} ${series.length === 1 ? 'hour' : 'hours'} from ${describeHour(series[0].at, spansDays)} to ${describeHour(series[series.length - 1].at, spansDays)}; the busiest hour was ${describeBucket(peak, spansDays)}.`}
        </desc>
        {ticks.map((tick) => (
          <g key={tick} className="tone-chart-tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
              {fullCount.format(tick)}
            </text>
          </g>
        ))}
        {series.map((bucket, i) => {
          const x = PAD.left + i * step + (step - barWidth) / 2;
          let base = 0;
          return (
            <g key={bucket.at} className="tone-bucket" data-at={bucket.at}>
              <title>{describeBucket(bucket, spansDays)}</title>
              {TONES.map((tone) => {
                const value = bucket[tone] ?? 0;
                if (value <= 0) return null;
                const top = y(base + value);
                const height = y(base) - top;
                base += value;
                return <rect key={tone} className={`tone-fill-${tone}`} x={x} y={top} width={barWidth} height={Math.max(0.5, height)} />;
              })}
              {i % labelEvery === 0 && (
                <text className="tone-chart-label" x={x + barWidth / 2} y={HEIGHT - PAD.bottom + 16} textAnchor="middle">
                  {hourFormat.format(Date.parse(bucket.at))}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="tone-legend" aria-label="Tones">
        {TONES.map((tone) => (
          <li key={tone}>
            <span className={`tone-swatch tone-bg-${tone}`} aria-hidden="true" />
            {TONE_LABELS[tone]}
          </li>
        ))}
      </ul>
      <details className="tone-chart-table">
        <summary>Show as a table</summary>
        <table>
          <caption className="visually-hidden">Comments per hour by tone</caption>
          <thead>
            <tr>
              <th scope="col">Hour</th>
              {TONES.map((tone) => (
                <th key={tone} scope="col">
                  {TONE_LABELS[tone]}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {series.map((bucket, i) => (
              <tr key={bucket.at}>
                <th scope="row">
                  <time dateTime={bucket.at}>{describeHour(bucket.at, spansDays)}</time>
                </th>
                {TONES.map((tone) => (
                  <td key={tone}>{fullCount.format(bucket[tone] ?? 0)}</td>
                ))}
                <td>{fullCount.format(totals[i])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
