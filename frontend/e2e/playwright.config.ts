import { defineConfig } from '@playwright/test';

// Browser tests of the web app against the real product (bentoml serve, demo models, development
// sign-in), started once by global-setup.ts. Debian's Chromium: Playwright cannot download one here.
export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  // One product, one runner: tests share its queue, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: './output/test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
