import { unsupportedRuntimeMessage } from './runtime.ts';

// Checked before anything else loads: the native SQLite addon is built for Node 24 and would
// fail with an obscure ABI error on another version.
const unsupported = unsupportedRuntimeMessage();
if (unsupported) {
  console.error(unsupported);
  process.exit(1);
}

const { main } = await import('./cli.ts');
main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
