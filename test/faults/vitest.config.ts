import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

// The fault tests run on their own (`npm run test:faults`): they create, kill and freeze a PostgreSQL
// cluster, and take longer than the rest of the suite.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/faults/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
