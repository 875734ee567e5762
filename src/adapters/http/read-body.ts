import { HttpRequestError } from "./problem"

/**
 * Reads a request's JSON body, counting bytes as they arrive: a body over `maxBytes` is refused
 * with 413 without reading the rest, whatever `Content-Length` says. An empty body is `{}`.
 *
 * @example
 * ```ts
 * import { readJsonBody } from "rmc-details/http"
 * const body = await readJsonBody(new Request("http://x", { method: "POST", body: "{}" }), 1024)
 * ```
 */
export const readJsonBody = async (request: Request, maxBytes: number): Promise<unknown> => {
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (declared > maxBytes) throw tooLarge(maxBytes)
  if (request.body === null) return {}
  const type = request.headers.get("content-type") ?? ""
  const reader = request.body.getReader()
  const chunks: Array<Uint8Array> = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  if (size === 0) return {}
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpRequestError({ message: "The body must be application/json", status: 415, code: "unsupported_media_type" })
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks))
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpRequestError({ message: "The body is not valid JSON", status: 400, code: "malformed_json" })
  }
}

const tooLarge = (maxBytes: number) =>
  new HttpRequestError({ message: `The body is larger than ${maxBytes} bytes`, status: 413, code: "payload_too_large" })
