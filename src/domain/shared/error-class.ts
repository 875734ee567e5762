import type { Cause } from "effect"
import { Data } from "effect"
import * as z from "zod"

/**
 * The HTTP statuses an SDK error can be answered with.
 *
 * @example
 * ```ts
 * import type { ErrorStatus } from "rmc-details"
 * const conflict: ErrorStatus = 409
 * ```
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 422 | 500 | 503

/**
 * What an error declares once, beside its class: its stable `code`, its HTTP `status` and `title`,
 * and the `fields` it carries besides `message`, as zod schemas. The fields are exactly what a
 * problem document shows of the error and what a client reads back; `statusWithIfMatch` is the
 * status when the caller sent `If-Match` (a stale version is then a failed precondition).
 *
 * @example
 * ```ts
 * import type { ErrorFacts } from "rmc-details"
 * import * as z from "zod"
 * const facts: ErrorFacts<"key_expired", { key: z.ZodString }> = { code: "key_expired", status: 409, title: "Key expired", fields: { key: z.string() } }
 * ```
 */
export interface ErrorFacts<Code extends string, Fields extends z.ZodRawShape> {
  readonly code: Code
  readonly status: ErrorStatus
  readonly title: string
  readonly fields: Fields
  readonly statusWithIfMatch?: ErrorStatus | undefined
  /** A fixed detail that a problem document shows instead of the error's message. */
  readonly detail?: string | undefined
}

/**
 * The values of an error's declared fields.
 *
 * @example
 * ```ts
 * import type { ErrorFields } from "rmc-details"
 * import type * as z from "zod"
 * type KeyFields = ErrorFields<{ key: z.ZodString }> // { readonly key: string }
 * ```
 */
export type ErrorFields<Fields extends z.ZodRawShape> = { readonly [Key in keyof Fields]: z.output<Fields[Key]> }

/**
 * The class an error's facts make: an effect `Data.TaggedError` whose instances carry `_tag`,
 * `code`, `message` and the declared fields, and whose statics are the facts. `Extra` adds fields
 * that stay inside the process (never in a problem document), such as a driver's `cause`.
 *
 * @example
 * ```ts
 * import { NotFoundError } from "rmc-details"
 * NotFoundError.status // 404
 * ```
 */
export interface RmcErrorConstructor<Tag extends string, Code extends string, Fields extends z.ZodRawShape> extends ErrorClassFacts {
  new <Extra extends Record<string, unknown> = Record<never, never>>(
    args: { readonly message: string } & ErrorFields<Fields> & Extra,
  ): Cause.YieldableError & { readonly _tag: Tag; readonly code: Code } & ErrorFields<Fields> & Readonly<Extra>
  readonly tag: Tag
  readonly code: Code
  readonly fields: z.ZodObject<Fields>
}

/**
 * The statics of an SDK error's class: its facts.
 *
 * @example
 * ```ts
 * import type { ErrorClassFacts } from "rmc-details"
 * const describe = (error: ErrorClassFacts) => `${error.code} answers ${error.status} ${error.title}`
 * ```
 */
export interface ErrorClassFacts {
  /** The `_tag` of every instance. */
  readonly tag: string
  /** The stable code. */
  readonly code: string
  /** The HTTP status of a problem document of this error. */
  readonly status: ErrorStatus
  /** The HTTP status when the caller sent `If-Match`, if it differs. */
  readonly statusWithIfMatch: ErrorStatus | undefined
  /** The title of a problem document of this error. */
  readonly title: string
  /** The fixed detail of a problem document of this error, if its message must not be shown. */
  readonly detail: string | undefined
  /** The fields a problem document of this error carries besides `detail` (the message). */
  readonly fields: z.ZodObject
}

/**
 * Any SDK error's class, whatever its fields.
 *
 * @example
 * ```ts
 * import type { AnyRmcErrorClass } from "rmc-details"
 * import { NotFoundError } from "rmc-details"
 * const notFound: AnyRmcErrorClass = NotFoundError
 * ```
 */
export type AnyRmcErrorClass = ErrorClassFacts & (abstract new (args: never) => Cause.YieldableError & { readonly _tag: string; readonly code: string })

/**
 * Makes the class of an SDK error from its tag and facts, so that each error says once what it
 * is; the registry of errors derives codes, statuses, titles, problem documents and the client's
 * rebuilding from these statics.
 *
 * @internal
 */
export const RmcErrorClass = <const Tag extends string, const Code extends string, const Fields extends z.ZodRawShape>(
  tag: Tag,
  facts: ErrorFacts<Code, Fields>,
): RmcErrorConstructor<Tag, Code, Fields> => {
  const fields = z.object(facts.fields)
  class RmcErrorBase extends Data.TaggedError(tag)<Record<string, unknown>> {
    static readonly tag = tag
    static readonly code = facts.code
    static readonly status = facts.status
    static readonly statusWithIfMatch = facts.statusWithIfMatch
    static readonly title = facts.title
    static readonly detail = facts.detail
    static readonly fields = fields
    /** Stable code. */
    readonly code = facts.code
  }
  return RmcErrorBase as unknown as RmcErrorConstructor<Tag, Code, Fields>
}

/**
 * Keys a registry of errors by code, and refuses at compile time an entry filed under another code
 * than its class's, or a class without the facts of an SDK error (a status, a title, fields).
 *
 * @internal
 */
export const errorRegistry = <const R extends Record<string, AnyRmcErrorClass>>(errors: R & { readonly [Code in keyof R]: { readonly code: Code } }): R =>
  errors
