import { createServer, type IncomingMessage, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeHttpTelephony } from "../../../src/adapters/http"
import { readRawBody } from "../../../src/adapters/http/read-body"

// "é" is two bytes in UTF-8 and "🙂" four: each test splits them across chunks, which a decoder fed
// chunk by chunk would turn into U+FFFD.
const split = (text: string, at: ReadonlyArray<number>): Array<Uint8Array> => {
  const bytes = new TextEncoder().encode(text)
  const cuts = [0, ...at, bytes.byteLength]
  return cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end))
}

describe("the HTTP adapter on Web APIs only", () => {
  let server: Server
  let url: string
  let seen: IncomingMessage | undefined
  const answer = '{"id":"café-🙂"}'
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen = req
      req.resume()
      req.on("end", async () => {
        res.writeHead(201, { "content-type": "application/json" })
        // The answer is written in pieces, cutting through "é" and "🙂".
        for (const chunk of split(answer, [11, 15])) {
          res.write(chunk)
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
        res.end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it("sends basic credentials as UTF-8 base64 and reads a call id split across chunks", async () => {
    const telephony = makeHttpTelephony({ baseUrl: url, credentials: { username: "agent", password: "pässwörd🙂" }, retries: 0 })
    const placed = await Effect.runPromise(
      telephony.dial({
        tenantId: "acme",
        agentId: "alice",
        callId: crypto.randomUUID(),
        conversationId: crypto.randomUUID(),
        to: "+33612345678",
        idempotencyKey: crypto.randomUUID(),
      }),
    )
    expect(placed.providerCallId).toBe("café-🙂")
    expect(seen?.headers.authorization).toBe(`Basic ${Buffer.from("agent:pässwörd🙂", "utf8").toString("base64")}`)
  })

  it("reads a request body whose characters are split across chunks, and counts bytes, not characters", async () => {
    const text = "note: café 🙂 fin"
    const chunks = split(text, [10, 14, 16])
    const request = () =>
      new Request("http://x/", {
        method: "POST",
        body: new ReadableStream({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk)
            controller.close()
          },
        }),
        duplex: "half",
      } as RequestInit)
    const size = new TextEncoder().encode(text).byteLength
    expect(await readRawBody(request(), size)).toBe(text)
    await expect(readRawBody(request(), size - 1)).rejects.toMatchObject({ status: 413 })
  })
})
