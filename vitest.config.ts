import { defineConfig } from 'vitest/config';

// Three projects: unit (fast, pure), integration (real Synapse, real SQLite, test servers)
// and e2e (real Chromium through the browser bridge). `npm test` runs all three.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          setupFiles: ['tests/helpers/quiet-matrix-sdk.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 300_000,
          globalSetup: ['tests/helpers/global-setup.ts'],
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          setupFiles: ['tests/helpers/quiet-matrix-sdk.ts', 'tests/helpers/plenary-web-cleanup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
          globalSetup: ['tests/helpers/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
