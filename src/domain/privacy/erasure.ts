import type { ActivityEvent } from "../activity/activity-event"
import type { CallAttempt } from "../call/call-attempt"
import type { Contact } from "../contact/contact"
import type { Note } from "../note/note"

/**
 * What replaces an erased piece of personal data: a contact's name, a note's body and earlier
 * bodies, a called number, a telephony failure reason. Records are anonymised, never deleted, so
 * that counts (conversations, notes, calls, events, reports) stay right.
 *
 * @example
 * ```ts
 * import { erasedMarker } from "rmc-details"
 * const shown = (name: string) => (name === erasedMarker ? "(erased contact)" : name)
 * ```
 */
export const erasedMarker = "[erased]"

/**
 * What replaces the `before` and `after` values of an erased contact's activity events, and of
 * events past the tenant's activity retention: the event stays (its type, time, actor and
 * subject), its values go.
 *
 * @example
 * ```ts
 * import { erasedValues, type ActivityEvent } from "rmc-details"
 * const scrubbed = (e: ActivityEvent) => e.after === null || e.after.erased === erasedValues.erased
 * ```
 */
export const erasedValues: Readonly<Record<string, unknown>> & { readonly erased: true } = { erased: true }

/**
 * The contact once its personal data is erased at `at`: the name is the marker, phones, e-mail
 * and channel identities are gone; the type, dates and id stay (type counts and reports stay
 * right), and the version moves on.
 *
 * @example
 * ```ts
 * import { erasedContact, type Contact } from "rmc-details"
 * declare const contact: Contact
 * erasedContact(contact, "2026-12-07T10:00:00.000Z").fullName // "[erased]"
 * ```
 */
export const erasedContact = (contact: Contact, at: string): Contact => ({
  ...contact,
  fullName: erasedMarker,
  primaryPhone: null,
  phones: [],
  email: null,
  channelIdentities: [],
  erasedAt: at,
  version: contact.version + 1,
})

/**
 * The note once erased: its body and every earlier body are the marker, the version moves on; its
 * author, times, deletion and number of revisions stay.
 *
 * @example
 * ```ts
 * import { erasedNote, type Note } from "rmc-details"
 * declare const note: Note
 * erasedNote(note).revisions.every((r) => r.body === "[erased]") // true
 * ```
 */
export const erasedNote = (note: Note): Note => ({
  ...note,
  body: erasedMarker,
  revisions: note.revisions.map((revision) => ({ ...revision, body: erasedMarker })),
  version: note.version + 1,
})

/**
 * The event once its values are erased: a non-null `before` or `after` becomes {@link erasedValues}.
 *
 * @example
 * ```ts
 * import { erasedEvent, type ActivityEvent } from "rmc-details"
 * declare const event: ActivityEvent
 * erasedEvent(event).after
 * ```
 */
export const erasedEvent = (event: ActivityEvent): ActivityEvent => ({
  ...event,
  before: event.before === null ? null : { ...erasedValues },
  after: event.after === null ? null : { ...erasedValues },
})

/**
 * Whether the event's values are erased already (or it never had any).
 *
 * @example
 * ```ts
 * import { isErasedEvent, type ActivityEvent } from "rmc-details"
 * declare const event: ActivityEvent
 * isErasedEvent(event)
 * ```
 */
export const isErasedEvent = (event: ActivityEvent): boolean =>
  [event.before, event.after].every((values) => values === null || (Object.keys(values).length === 1 && values.erased === true))

/**
 * The call attempt once the provider data is erased: the number dialled and a failure reason are
 * the marker, the telephony call id is cleared.
 *
 * @example
 * ```ts
 * import { erasedCall, type CallAttempt } from "rmc-details"
 * declare const call: CallAttempt
 * erasedCall(call).to // "[erased]"
 * ```
 */
export const erasedCall = (call: CallAttempt): CallAttempt => ({
  ...call,
  to: erasedMarker,
  providerCallId: null,
  failureReason: call.failureReason === null ? null : erasedMarker,
})

/**
 * The custom attribute types whose values an erasure keeps: categories (an enum option, a yes or
 * no) that volume reports count and that name no one. Every other value (text, number, date, URL,
 * e-mail, phone) of the contact and of its conversations is removed.
 *
 * @example
 * ```ts
 * import { typesKeptOnErasure } from "rmc-details"
 * typesKeptOnErasure.has("enum") // true
 * ```
 */
export const typesKeptOnErasure: ReadonlySet<string> = new Set(["enum", "boolean"])
