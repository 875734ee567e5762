import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createRmcClient, HttpClientError, HttpRequestError } from "../../../src/adapters/http"
import { errorFromProblem } from "../../../src/adapters/http/problem"
import { NotFoundError, ValidationError } from "../../../src/domain/shared/errors"

// A server of another make, or a proxy in front of ours, answering whatever problem document the
// test wants: the client must turn every one into a typed error.
describe("the client reading problem documents", () => {
  let answer: { status: number; body: string } = { status: 500, body: "" }
  let server: Server
  let baseUrl = ""
  beforeAll(async () => {
    server = createServer((_, response) => {
      response.writeHead(answer.status, { "content-type": "application/problem+json" })
      response.end(answer.body)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  const problem = (code: string, status: number, extra = "") =>
    `{"type":"urn:x","title":"T","status":${status},"detail":"refused","code":${JSON.stringify(code)}${extra}}`

  const rejection = async (status: number, body: string): Promise<unknown> => {
    answer = { status, body }
    const client = createRmcClient({ baseUrl })
    return client.listDepartments({}).then(
      () => expect.unreachable("the request should fail"),
      (error: unknown) => error,
    )
  }

  it.each(["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__defineGetter__", "toLocaleString"])(
    "rejects with an HttpClientError when the code is %s",
    async (code) => {
      for (const status of [400, 404, 409, 413, 500]) {
        const error = await rejection(status, problem(code, status))
        expect(error, `${code} ${status}`).toBeInstanceOf(HttpClientError)
        expect(error).toMatchObject({ reason: "bad_response", status, message: "refused" })
      }
    },
  )

  it("still rebuilds the SDK's errors and the protocol's refusals", async () => {
    expect(await rejection(404, problem("not_found", 404, ',"entity":"note","id":"n-1"'))).toBeInstanceOf(NotFoundError)
    expect(await rejection(400, problem("validation_failed", 400, ',"issues":[{"path":["name"],"message":"bad"}]'))).toMatchObject(
      new ValidationError({ message: "refused", issues: [{ path: ["name"], message: "bad" }] }),
    )
    expect(await rejection(413, problem("payload_too_large", 413))).toMatchObject(
      new HttpRequestError({ message: "refused", status: 413, code: "payload_too_large" }),
    )
    // A known protocol code with a status it never has, or an unknown code, is not the API's answer.
    expect(await rejection(400, problem("payload_too_large", 400))).toBeInstanceOf(HttpClientError)
    expect(await rejection(400, problem("teapot", 400))).toBeInstanceOf(HttpClientError)
    expect(await rejection(500, problem("validation_failed", 500, ',"__proto__":{"polluted":true}'))).toBeInstanceOf(ValidationError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("errorFromProblem looks codes up as own properties", () => {
    for (const code of ["constructor", "__proto__", "toString"]) {
      expect(errorFromProblem({ type: "urn:x", title: "T", status: 400, detail: "d", code })).toBeInstanceOf(HttpClientError)
    }
  })
})
