import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The e2e tests run the built bundle: rebuilt first when any source is newer.
    globalSetup: ['test/helpers/fresh-bundle.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: integration and e2e files each start their own Azurite; keep parallelism modest.
    maxWorkers: 2,
  },
});
