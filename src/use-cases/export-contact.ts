import { Effect } from "effect"
import { type ContactExportRecord, contactExportKinds, decodeExportCursor, encodeExportCursor, type ExportPosition } from "../domain/privacy/contact-export"
import { type StorageError, ValidationError } from "../domain/shared/errors"
import { type CursorKey, pageReadLimit, pageRows } from "../domain/shared/page"
import { type Slice, Storage, type StorageRepositories } from "../ports/storage"
import { liveContact } from "./support/live-contact"
import { defineUseCase } from "./support/use-case"

type Kind = ContactExportRecord["kind"]

/** How each kind of record is read, one page at a time, and the key a page resumes after. */
const readers = (
  r: StorageRepositories,
  tenantId: string,
  contactId: string,
): { readonly [K in Exclude<Kind, "contact">]: (slice: Slice) => Effect.Effect<ReadonlyArray<readonly [ContactExportRecord, CursorKey]>, StorageError> } => ({
  conversation: (slice) =>
    Effect.map(r.conversations.listByContact(tenantId, contactId, slice), (rows) =>
      rows.map(
        (conversation) =>
          [
            { kind: "conversation", conversation },
            { at: conversation.lastActivityAt, id: conversation.id },
          ] as const,
      ),
    ),
  note: (slice) =>
    Effect.map(r.notes.listByContact(tenantId, contactId, slice), (rows) =>
      rows.map(
        (note) =>
          [
            { kind: "note", note },
            { at: note.createdAt, id: note.id },
          ] as const,
      ),
    ),
  activity: (slice) =>
    Effect.map(r.activity.listByContact(tenantId, contactId, slice), (rows) =>
      rows.map(
        (event) =>
          [
            { kind: "activity", event },
            { at: event.at, id: event.id },
          ] as const,
      ),
    ),
  call: (slice) =>
    Effect.map(r.calls.listByContact(tenantId, contactId, slice), (rows) =>
      rows.map(
        (call) =>
          [
            { kind: "call", call },
            { at: call.createdAt, id: call.id },
          ] as const,
      ),
    ),
})

const invalidCursor = () => new ValidationError({ message: "Invalid cursor", issues: [{ path: ["cursor"], message: "not a cursor of this export" }] })

/**
 * One page of a contact's data (admin): at most `limit` records of the export (see
 * {@link ContactExportRecord}), in its order: the contact, its conversations, every note about it
 * with earlier bodies (deleted ones too), every event about it and its conversations, its calls.
 * Pass `nextCursor` back to read on; `null` means the export is complete. For long histories, read
 * it as a stream: `exportContactStream` (Effect), `exportContactRecords` (Promise API, HTTP client
 * included) or `GET /contacts/{contactId}/export` with `Accept: application/x-ndjson`.
 *
 * An export is not one snapshot: a record written while it runs may be in it or not, and a
 * conversation whose activity moves on between two pages may be skipped or given twice.
 *
 * @example
 * ```ts
 * import { exportContact } from "rmc-details"
 * const program = exportContact({ tenantId: "acme", agentId: "dpo", role: "admin" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", limit: 200 })
 * ```
 */
export const exportContact = defineUseCase("exportContact", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const start: ExportPosition | undefined = input.cursor === undefined ? { kind: "contact" } : decodeExportCursor(input.cursor)
    if (start === undefined) return yield* invalidCursor()
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        const contact = yield* liveContact(input.contactId)(r.contacts.get(principal.tenantId, input.contactId))
        const read = readers(r, principal.tenantId, contact.id)
        const items: Array<ContactExportRecord> = []
        for (const kind of contactExportKinds.slice(contactExportKinds.indexOf(start.kind))) {
          const after = kind === start.kind ? start.after : undefined
          const room = input.limit - items.length
          if (room === 0) return { items, nextCursor: encodeExportCursor({ kind }) }
          if (kind === "contact") {
            items.push({ kind: "contact", contact })
            continue
          }
          const limit = pageReadLimit(room)
          const page = pageRows(yield* read[kind](after === undefined ? { limit } : { limit, after }), room)
          for (const [record] of page.items) items.push(record)
          if (page.hasNext) return { items, nextCursor: encodeExportCursor({ kind, after: page.items[room - 1]![1] }) }
        }
        return { items, nextCursor: null }
      }),
    )
  }),
)
