import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';

// The API's own paths: in development Vite forwards them to the API (`make run` serves it on :3000).
const API_PATHS = ['/auth', '/generate', '/jobs', '/models', '/styles', '/me', '/health', '/images', '/tokens', '/admin', '/library', '/reviews'];

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const base = env.VITE_BASE || '/app/';
  const apiTarget = process.env.API_PROXY_TARGET || 'http://127.0.0.1:3000';

  return {
    base,
    plugins: [react()],
    resolve: {
      alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
    },
    build: {
      manifest: true,
      target: 'es2022',
    },
    server: {
      port: 5173,
      proxy: Object.fromEntries(
        API_PATHS.map((path) => [
          path,
          {
            target: apiTarget,
            changeOrigin: true,
            // With VITE_BASE=/ a page reload of /jobs is the app's route, not the API's list.
            bypass: (req: { headers: { accept?: string } }) =>
              req.headers.accept?.includes('text/html') ? '/index.html' : undefined,
          },
        ]),
      ),
    },
    test: {
      environment: 'jsdom',
      globals: true,
      setupFiles: ['./src/testing/setup.ts'],
      include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.{js,mjs,ts}'],
      restoreMocks: true,
      env: { VITE_API_URL: 'http://localhost:3000' },
    },
  };
});
