import type { ActivityChange } from "../activity/activity-change"

/**
 * The outcome of applying a command to a record: either nothing changes (the command asked for
 * what the record already is, so nothing is written and nothing recorded), or the record's next
 * state with the one activity change that says what moved.
 *
 * @example
 * ```ts
 * import type { Transition } from "rmc-details"
 * const written = <S>(t: Transition<S>): boolean => t.changed
 * ```
 */
export type Transition<S> = { readonly changed: false } | { readonly changed: true; readonly next: S; readonly change: ActivityChange }

/**
 * The {@link Transition} of a command that changes nothing.
 *
 * @example
 * ```ts
 * import { unchanged } from "rmc-details"
 * unchanged.changed // false
 * ```
 */
export const unchanged: Transition<never> = { changed: false }

/**
 * The {@link Transition} of a command that moves a record to `next`, recording `change`.
 *
 * @example
 * ```ts
 * import { changedTo } from "rmc-details"
 * const t = changedTo({ id: "x", version: 2 }, { type: "agent.deactivated", subjectId: "x", conversationId: null, contactId: null })
 * ```
 */
export const changedTo = <S>(next: S, change: ActivityChange): Transition<S> => ({ changed: true, next, change })
