import { defineConfig } from 'vitest/config';

// One config, four projects (docs/architecture.md "Tests"): unit is fast and runs in `npm run check`;
// integration starts real servers on port 0 against real PGlite/PostgreSQL/Redis; e2e drives Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
        esbuild: { jsx: 'automatic' },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts its own servers; two cores, so keep parallelism modest.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts', 'tests/e2e/build-web.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // Real Electron via Playwright `_electron`; only tests/electron/run.ts runs it, where the binary exists.
        test: {
          name: 'electron',
          include: ['tests/electron/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts', 'tests/electron/build-desktop.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
