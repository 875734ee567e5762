const safe = /^[A-Za-z0-9_-]$/

/**
 * Makes a value (a tenant id) safe as one token of a NATS subject or of a RabbitMQ topic routing
 * key: letters, digits, `_` and `-` stay as they are; every other character, `~` included, becomes
 * `~` followed by the two upper-case hex digits of each of its UTF-8 bytes. Tokens never contain
 * `.`, `*`, `>`, `#` or white space, and two different values never give the same token.
 *
 * @example
 * ```ts
 * import { encodeBrokerToken } from "rmc-details/events"
 * encodeBrokerToken("acme-corp") // "acme-corp"
 * encodeBrokerToken("acme.eu") // "acme~2Eeu"
 * ```
 */
export const encodeBrokerToken = (value: string): string => {
  let token = ""
  for (const character of value) {
    if (safe.test(character)) token += character
    else for (const byte of new TextEncoder().encode(character)) token += `~${byte.toString(16).toUpperCase().padStart(2, "0")}`
  }
  return token
}

/**
 * The value a token was made from: the inverse of {@link encodeBrokerToken}.
 *
 * @example
 * ```ts
 * import { decodeBrokerToken } from "rmc-details/events"
 * decodeBrokerToken("acme~2Eeu") // "acme.eu"
 * ```
 */
export const decodeBrokerToken = (token: string): string => {
  const bytes: Array<number> = []
  for (let i = 0; i < token.length; ) {
    if (token[i] === "~") {
      bytes.push(Number.parseInt(token.slice(i + 1, i + 3), 16))
      i += 3
    } else {
      bytes.push(token.charCodeAt(i))
      i += 1
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

/**
 * The routing key of an event: `<tenant token>.<event type>`, e.g. `acme.note.added`, so that a
 * consumer binds `acme.#` for one tenant, `*.conversation.*` for one entity, `*.*.merged` for one
 * change. NATS subjects put a prefix in front (`rmc.acme.note.added`).
 *
 * @example
 * ```ts
 * import { eventRoutingKey } from "rmc-details/events"
 * eventRoutingKey({ tenantId: "acme", type: "note.added" }) // "acme.note.added"
 * ```
 */
export const eventRoutingKey = (envelope: { readonly tenantId: string; readonly type: string }): string =>
  `${encodeBrokerToken(envelope.tenantId)}.${envelope.type}`
