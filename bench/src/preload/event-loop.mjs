// Loaded with `--import` into the benchmark's server process only (the server's code is not
// changed): samples event-loop delay with perf_hooks and writes the histogram since the last
// reset to $GLIMPSE_BENCH_ELD_FILE on SIGUSR2 (then resets) and at exit. Values in ms.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.GLIMPSE_BENCH_ELD_FILE;
if (file) {
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let seq = 0;
  // The histogram records whole timer intervals; the delay is what exceeds the resolution
  // (as @fastify/under-pressure computes it).
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  const dump = (reason) => {
    seq += 1;
    const snapshot = {
      seq,
      reason,
      at: Date.now(),
      count: histogram.count,
      mean: ms(histogram.mean),
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    };
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // the benchmark reads what it can
    }
  };
  process.on('SIGUSR2', () => {
    dump('SIGUSR2');
    histogram.reset();
  });
  process.on('exit', () => dump('exit'));
}
