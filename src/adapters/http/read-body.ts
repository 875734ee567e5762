import { HttpRequestError } from "./problem"

/**
 * Reads a request's body as text, counting bytes as they arrive: a body over `maxBytes` is refused
 * with 413 without reading the rest, whatever `Content-Length` says.
 *
 * @internal
 */
export const readRawBody = async (request: Request, maxBytes: number): Promise<string> => {
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (declared > maxBytes) throw tooLarge(maxBytes)
  if (request.body === null) return ""
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
  return decodeChunks(chunks, size)
}

const tooLarge = (maxBytes: number) => new HttpRequestError({ message: `The body is larger than ${maxBytes} bytes`, status: 413, code: "payload_too_large" })

/**
 * The UTF-8 text of the chunks read, `size` bytes in all.
 *
 * @internal
 */
export const decodeChunks = (chunks: ReadonlyArray<Uint8Array>, size: number): string => {
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}
