import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy* waits are failure guards, not timings: on a loaded CI machine (the suites share two
// cores) a route that re-mounts and refetches can take longer than the 1 s default.
configure({ asyncUtilTimeout: 5000 });

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
});
