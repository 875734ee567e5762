import { Effect, Option, Stream } from "effect"
import type { ContactExportRecord } from "../domain/privacy/contact-export"
import type { Principal } from "../domain/shared/principal"
import { exportContact } from "./export-contact"

/**
 * A contact's whole export (see `exportContact`) as a stream of records, read page by page as the
 * stream is pulled: `pageSize` records per read (default 200).
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { exportContactStream } from "rmc-details"
 * const records = exportContactStream({ tenantId: "acme", agentId: "dpo", role: "admin" },
 *   { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" }).pipe(Stream.runCollect)
 * ```
 */
export const exportContactStream = (principal: Principal, input: { readonly contactId: string; readonly pageSize?: number | undefined }) =>
  Stream.paginate(undefined as string | undefined, (cursor) =>
    Effect.map(
      exportContact(principal, { contactId: input.contactId, limit: input.pageSize ?? 200, ...(cursor !== undefined && { cursor }) }),
      (page) => [page.items as ReadonlyArray<ContactExportRecord>, page.nextCursor === null ? Option.none() : Option.some(page.nextCursor)] as const,
    ),
  )
