import { builtinModules } from "node:module"
import { fileURLToPath } from "node:url"
import { build, type Plugin } from "esbuild"
import { describe, expect, it } from "vitest"

const entry = fileURLToPath(new URL("../../../src/adapters/http/index.ts", import.meta.url))
const builtins = new Set(builtinModules)

/** Bundles `rmc-details/http` for a runtime that has Web APIs and nothing of Node. */
const bundleNeutral = async (contents?: string) => {
  const nodeImports: Array<string> = []
  // Any Node built-in is recorded with its importer (and kept out of the bundle so the build still
  // finishes and reports every one of them, not the first).
  const noNode: Plugin = {
    name: "no-node-builtins",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, "").split("/")[0]!
        if (args.path.startsWith("node:") || builtins.has(bare) || builtins.has(args.path)) {
          nodeImports.push(`${args.path} (imported by ${args.importer})`)
          return { path: args.path, external: true }
        }
        return undefined
      })
    },
  }
  const result = await build({
    ...(contents === undefined ? { entryPoints: [entry] } : { stdin: { contents, resolveDir: fileURLToPath(new URL(".", import.meta.url)), loader: "ts" } }),
    bundle: true,
    platform: "neutral",
    format: "esm",
    // "neutral" reads no package.json main field by default; packages that ship only `main` need it.
    mainFields: ["module", "main"],
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [noNode],
  })
  return { nodeImports, inputs: Object.keys(result.metafile.inputs), text: result.outputFiles[0]!.text }
}

/** Node's globals that are no import, used as bare names (`ArrayBuffer` or `x.process` do not count). */
const nodeGlobals = (text: string): Array<string> =>
  [...text.matchAll(/(?<![\w$.])(Buffer|process|require|__dirname|__filename)\b(?!\s*[:=])/g)].map((m) => {
    const line = text.slice(text.lastIndexOf("\n", m.index) + 1, text.indexOf("\n", m.index))
    return `${m[1]}: ${line.trim().slice(0, 120)}`
  })

describe("rmc-details/http on a runtime without Node", () => {
  it("bundles the handler, client, telephony and webhook receiver with no Node built-in", async () => {
    const { nodeImports, inputs, text } = await bundleNeutral()
    expect(nodeImports).toEqual([])
    expect(nodeGlobals(text)).toEqual([])
    // The peer packages are bundled from their own sources, not left out: they are runtime-neutral too.
    for (const dependency of ["hono", "zod", "effect"])
      expect(
        inputs.some((input) => input.includes(`node_modules/${dependency}/`)),
        dependency,
      ).toBe(true)
    for (const file of ["rmc-handler.ts", "rmc-client.ts", "http-telephony.ts", "call-status-webhook.ts"]) {
      expect(
        inputs.some((input) => input.endsWith(file)),
        file,
      ).toBe(true)
    }
  }, 60_000)

  it("catches a Node built-in when one is imported", async () => {
    // The check itself: the same bundle, plus the Node-only server, must be refused.
    const { nodeImports } = await bundleNeutral(`export * from "../../../src/adapters/http"\nexport * from "../../../src/adapters/http/node"`)
    expect(nodeImports).toEqual(expect.arrayContaining([expect.stringMatching(/^node:http /)]))
    expect(nodeGlobals(`const text = Buffer.from("a").toString("base64")`)).toHaveLength(1)
  }, 60_000)
})
