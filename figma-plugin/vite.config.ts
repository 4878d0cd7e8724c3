import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { defineConfig } from 'vitest/config';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: resolve(here, 'src/ui'),
  // Figma's iframe loads one file (the manifest's "ui": dist/ui.html) and nothing beside it, so the
  // scripts and styles are inlined into it.
  plugins: [react(), viteSingleFile({ outputFileName: 'ui.html' })],
  build: {
    outDir: resolve(here, 'dist'),
    // dist/code.js (the main thread, built by esbuild first) lives beside the panel.
    emptyOutDir: false,
    target: 'es2022',
  },
  test: {
    root: here,
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/ui/testing/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // Typing with user-event on a busy two-core machine can take seconds.
    testTimeout: 15000,
  },
});
