import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig(({ mode }) => {
  // The API server (npm start) listens on :3000 unless GLIMPSE_DEV_API says otherwise. The dev
  // server forwards everything that is not the client itself, so the session cookie stays
  // same-origin.
  const apiServer = loadEnv(mode, webRoot, 'GLIMPSE_').GLIMPSE_DEV_API || 'http://localhost:3000';
  return {
    root: webRoot,
    plugins: [react()],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // No source maps in production: they would publish the whole client source.
      sourcemap: false,
    },
    server: {
      proxy: {
        '/api': { target: apiServer, ws: true },
        '/oauth': apiServer,
        '/media': apiServer,
        '/assets': apiServer,
      },
    },
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.test.{ts,tsx}'],
      setupFiles: ['src/test/setup-tests.ts'],
      restoreMocks: true,
      unstubGlobals: true,
    },
  };
});
