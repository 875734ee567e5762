const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"])

/**
 * Why a URL cannot be a webhook endpoint, or `undefined` when it can: it must be an absolute
 * `https` URL with no credentials in it; `http` is accepted for `localhost`, `127.0.0.1` and
 * `[::1]` (a receiver on the same machine), and elsewhere only when `allowHttp` says so
 * explicitly (a private network).
 *
 * @example
 * ```ts
 * import { webhookUrlProblem } from "rmc-details"
 * webhookUrlProblem("https://crm.example.com/hooks/rmc") // undefined
 * webhookUrlProblem("http://crm.example.com/hooks/rmc") // "must use https ..."
 * ```
 */
export const webhookUrlProblem = (url: string, allowHttp = false): string | undefined => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return "is not an absolute URL"
  }
  if (parsed.username !== "" || parsed.password !== "") return "must not carry credentials: the signature authenticates the SDK"
  if (parsed.protocol === "https:") return undefined
  if (parsed.protocol !== "http:") return "must be an https URL"
  if (allowHttp || loopbackHosts.has(parsed.hostname)) return undefined
  return "must use https (http only for localhost, 127.0.0.1, [::1], or with allowHttp)"
}
