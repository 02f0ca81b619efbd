import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The API server (npm start) listens on :3000; the dev server forwards everything that is not
// the client itself, so the session cookie stays same-origin.
const API_SERVER = 'http://localhost:3000';

const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: API_SERVER, ws: true },
      '/oauth': API_SERVER,
      '/media': API_SERVER,
      '/assets': API_SERVER,
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup-tests.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
