// The parts of autocannon's API the harness uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      /** Several URLs: connection i goes to url[i % url.length]. */
      url: string | string[];
      connections?: number;
      duration?: number;
      amount?: number;
      timeout?: number;
      requests?: Array<Record<string, unknown>>;
      [option: string]: unknown;
    }
    interface Histogram {
      p50: number;
      p90: number;
      p99: number;
      max: number;
      average: number;
      /** requests: answers; throughput: bytes, headers included. */
      total: number;
    }
    interface Result {
      '2xx': number;
      non2xx: number;
      errors: number;
      timeouts: number;
      duration: number;
      latency: Histogram;
      requests: Histogram;
      throughput: Histogram;
      statusCodeStats?: Record<string, { count: number }>;
    }
    interface Instance {
      stop(): void;
    }
  }
  function autocannon(options: autocannon.Options, callback: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;
  export = autocannon;
}
