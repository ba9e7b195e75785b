import { defineConfig } from "vitest/config";

/** End-to-end tests in headless Chromium (npm run test:browser); kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
