import { fileURLToPath } from "node:url"
import { configDefaults, defineConfig } from "vitest/config"

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url))

export default defineConfig({
  resolve: {
    // Examples and docs import the package by name, as users do; tests run them on the sources.
    alias: [
      { find: /^rmc-details\/kysely$/, replacement: src("adapters/kysely/index.ts") },
      { find: /^rmc-details\/http$/, replacement: src("adapters/http/index.ts") },
      { find: /^rmc-details\/http\/node$/, replacement: src("adapters/http/node/index.ts") },
      { find: /^rmc-details\/testing$/, replacement: src("testing/index.ts") },
      { find: /^rmc-details\/events$/, replacement: src("adapters/events/index.ts") },
      { find: /^rmc-details\/nats$/, replacement: src("adapters/nats/index.ts") },
      { find: /^rmc-details\/rabbitmq$/, replacement: src("adapters/rabbitmq/index.ts") },
      { find: /^rmc-details\/relay$/, replacement: src("relay/index.ts") },
      { find: /^rmc-details$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Fault tests create and kill a PostgreSQL cluster of their own: `npm run test:faults`.
    exclude: [...configDefaults.exclude, "test/faults/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
