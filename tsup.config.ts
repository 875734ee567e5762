import { existsSync } from "node:fs"
import { defineConfig } from "tsup"

/** One entry per subpath export of the package. */
const entries = {
  index: "src/index.ts",
  testing: "src/testing/index.ts",
  kysely: "src/adapters/kysely/index.ts",
  http: "src/adapters/http/index.ts",
  "http/node": "src/adapters/http/node/index.ts",
  relay: "src/relay/index.ts",
  events: "src/adapters/events/index.ts",
  nats: "src/adapters/nats/index.ts",
  rabbitmq: "src/adapters/rabbitmq/index.ts",
}

export default defineConfig({
  entry: Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file))),
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node22",
  platform: "node",
  // node:sqlite has no unprefixed name: keep the prefix on every built-in.
  removeNodeProtocol: false,
  splitting: true,
  treeshake: true,
})
