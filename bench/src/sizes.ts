/** The data sizes of BENCHMARK.md, plus `tiny` for the test suite, and each size's load settings. */
export type SizeName = 'tiny' | 'smoke' | 'standard' | 'large';

export interface SizeSpec {
  name: SizeName;
  accounts: number;
  /** All follow edges, the celebrity's included. */
  edges: number;
  /** Top-level photo posts. */
  posts: number;
  /** Live stories (a few per author, for a power-law sample of authors with the celebrity). */
  stories: number;
  /** Of the posts, how many are the celebrity's (pulled into home feeds at read time). */
  celebrityPosts: number;
  /** The comparison account of the celebrity-reach metric ("1k followers"). */
  midFollowers: number;
  /** GLIMPSE_FANOUT_THRESHOLD for this size: only the celebrity is above it. */
  fanoutThreshold: number;
  /** Accounts given an access token with a known plaintext, for the load generator. */
  tokens: number;
  load: {
    /** Seconds of each saturation or paced run. */
    seconds: number;
    /**
     * When set, each HTTP load phase (warm-up, saturation, paced, the idle comment-list probe)
     * sends this many requests instead of running for `seconds`: a slow machine takes longer
     * but does the same work. For the test suite, which checks counts, never speed.
     */
    requests?: number;
    connections: number;
    /** Comments in the storm. */
    stormComments: number;
    /** Photos uploaded (and processed by sharp-loop). */
    uploads: number;
    /** Uploads of the size limit (16 MiB) sent at once, one per account, for the server's peak RSS (default 20). */
    parallelUploads?: number;
    /** Followers polled for celebrity reach. */
    reachSample: number;
    /** Requests per second of the comment-list probe, idle and during the storm. */
    listProbeRate: number;
  };
}

export const SIZES: Record<SizeName, SizeSpec> = {
  tiny: {
    name: 'tiny',
    accounts: 300,
    edges: 6_000,
    posts: 1_500,
    stories: 50,
    celebrityPosts: 20,
    midFollowers: 100,
    fanoutThreshold: 200,
    tokens: 150,
    load: { seconds: 1, requests: 60, connections: 8, stormComments: 200, uploads: 3, parallelUploads: 4, reachSample: 10, listProbeRate: 20 },
  },
  smoke: {
    name: 'smoke',
    accounts: 2_000,
    edges: 60_000,
    posts: 20_000,
    stories: 500,
    celebrityPosts: 100,
    midFollowers: 1_000,
    fanoutThreshold: 1_000,
    tokens: 1_000,
    load: { seconds: 3, connections: 32, stormComments: 2_000, uploads: 8, parallelUploads: 20, reachSample: 25, listProbeRate: 20 },
  },
  standard: {
    name: 'standard',
    accounts: 100_000,
    edges: 3_000_000,
    posts: 500_000,
    stories: 10_000,
    celebrityPosts: 500,
    midFollowers: 1_000,
    fanoutThreshold: 10_000,
    tokens: 5_000,
    load: { seconds: 10, connections: 32, stormComments: 50_000, uploads: 24, parallelUploads: 20, reachSample: 50, listProbeRate: 20 },
  },
  large: {
    name: 'large',
    accounts: 1_000_000,
    edges: 15_000_000,
    posts: 2_000_000,
    stories: 50_000,
    celebrityPosts: 1_000,
    midFollowers: 1_000,
    fanoutThreshold: 10_000,
    tokens: 10_000,
    load: { seconds: 15, connections: 32, stormComments: 50_000, uploads: 24, parallelUploads: 20, reachSample: 50, listProbeRate: 20 },
  },
};

export function sizeFor(name: string): SizeSpec {
  const spec = SIZES[name as SizeName];
  if (!spec) throw new Error(`unknown size "${name}"; use ${Object.keys(SIZES).join(', ')}`);
  return spec;
}
