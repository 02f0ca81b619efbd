/**
 * Deterministic randomness for the data generator: a seeded sfc32 generator, and samplers
 * for the skewed distributions the generator needs (Zipf-like popularity through Vose's alias
 * method, Pareto follow counts). The same seed always gives the same data.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    // Seed the four words from a string hash (cyrb128).
    let h1 = 1779033703;
    let h2 = 3144134277;
    let h3 = 1013904242;
    let h4 = 2773480762;
    for (let i = 0; i < seed.length; i++) {
      const k = seed.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    this.a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
    this.b = (h2 ^ h1) >>> 0;
    this.c = (h3 ^ h1) >>> 0;
    this.d = (h4 ^ h1) >>> 0;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /** A child generator with its own stream, so one stage's draws never shift another's. */
  fork(label: string): Prng {
    return new Prng(`${label}:${this.int(2 ** 31)}`);
  }
}

/** Vose's alias method: O(1) draws from a fixed discrete distribution. */
export class AliasSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(rng: Prng): number {
    const i = rng.int(this.prob.length);
    return rng.next() < this.prob[i] ? i : this.alias[i];
  }
}

/** Zipf-like weights over a random ranking: item perm[r] gets (r + 1)^-s. */
export function zipfWeights(n: number, s: number, rng: Prng): Float64Array {
  const rank = rng.permutation(n);
  const weights = new Float64Array(n);
  for (let r = 0; r < n; r++) weights[rank[r]] = Math.pow(r + 1, -s);
  return weights;
}

/**
 * n counts, each at least `min` and at most `max`, from a Pareto tail of exponent `alpha`,
 * scaled so they sum to exactly `total` (when the bounds allow it).
 */
export function paretoCounts(n: number, total: number, alpha: number, min: number, max: number, rng: Prng): Int32Array {
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) raw[i] = Math.pow(1 - rng.next(), -1 / alpha);
  const sumFor = (c: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.min(max, Math.max(min, Math.round(raw[i] * c)));
    return sum;
  };
  let lo = 0;
  let hi = 1;
  while (sumFor(hi) < total && hi < 1e9) hi *= 2;
  for (let iter = 0; iter < 60; iter++) {
    const mid = (lo + hi) / 2;
    if (sumFor(mid) < total) lo = mid;
    else hi = mid;
  }
  const counts = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    counts[i] = Math.min(max, Math.max(min, Math.round(raw[i] * hi)));
    sum += counts[i];
  }
  // Nudge single counts until the sum is exact.
  let guard = 0;
  while (sum !== total && guard++ < 50 * n) {
    const i = rng.int(n);
    if (sum > total && counts[i] > min) {
      counts[i] -= 1;
      sum -= 1;
    } else if (sum < total && counts[i] < max) {
      counts[i] += 1;
      sum += 1;
    }
  }
  return counts;
}
