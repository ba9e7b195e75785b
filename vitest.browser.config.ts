import { defineConfig } from "vitest/config";

/** End-to-end tests in headless Chromium (npm run test:browser); kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
    // A poll waits for what the page draws after one or more answers from the server (a resumed file: three):
    // on a loaded machine that can take more than the default second.
    expect: { poll: { timeout: 10_000 } },
  },
});
