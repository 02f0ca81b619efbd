// A node:test reporter that writes the run's pass/fail counts (and failing test names) as JSON,
// so scripts/test.mjs can print one summary line over every suite.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  const failures = [];
  for await (const event of source) {
    const data = event.data ?? {};
    const isSuite = data.details?.type === 'suite';
    if (event.type === 'test:pass' && !isSuite && !data.skip && !data.todo) passed += 1;
    if (event.type === 'test:fail' && !isSuite) {
      failed += 1;
      failures.push(`${data.file ?? ''} › ${data.name}`);
    }
  }
  yield JSON.stringify({ passed, failed, failures });
}
