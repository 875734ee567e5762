import { Effect } from "effect"
import { ValidationError } from "../../domain/shared/errors"
import { webhookUrlProblem } from "../../domain/webhooks/webhook-url-problem"
import type { StorageRepositories } from "../../ports/storage"
import { orNotFound } from "./find"

/**
 * The tenant's stored subscription, or a `NotFoundError`.
 *
 * @internal
 */
export const storedSubscription = (r: StorageRepositories, tenantId: string, id: string) =>
  r.webhooks.get(tenantId, id).pipe(orNotFound("webhook_subscription", id))

/**
 * Fails with a {@link ValidationError} on `url` when it cannot be an endpoint.
 *
 * @internal
 */
export const checkWebhookUrl = (url: string, allowHttp: boolean): Effect.Effect<void, ValidationError> => {
  const problem = webhookUrlProblem(url, allowHttp)
  return problem === undefined
    ? Effect.void
    : Effect.fail(new ValidationError({ message: `Invalid url: ${problem}`, issues: [{ path: ["url"], message: problem }] }))
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes))

/**
 * A new Standard Webhooks secret, `whsec_` + base64 of 32 random bytes from Web Crypto.
 *
 * @internal
 */
export const newWebhookSecret = (): string => `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`
