import type { ContactExportRecord } from "../domain/privacy/contact-export"
import type { RmcApi } from "../use-cases/catalog"

/**
 * A contact's whole export (see `exportContact`) as an async iterable of records, read page by
 * page as it is iterated: `pageSize` records per call (default 200). Works with any Promise API:
 * the in-process one (`createRmc(...).as(admin)`) and the HTTP client alike.
 *
 * @example
 * ```ts
 * import { createRmc, exportContactRecords, memoryStorage } from "rmc-details"
 * const api = createRmc({ storage: memoryStorage() }).as({ tenantId: "acme", agentId: "dpo", role: "admin" })
 * for await (const record of exportContactRecords(api, { contactId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11" })) console.log(record.kind)
 * ```
 */
export async function* exportContactRecords(
  api: Pick<RmcApi, "exportContact">,
  input: { readonly contactId: string; readonly pageSize?: number | undefined },
): AsyncGenerator<ContactExportRecord, void, undefined> {
  let cursor: string | undefined
  do {
    const page = await api.exportContact({ contactId: input.contactId, limit: input.pageSize ?? 200, ...(cursor !== undefined && { cursor }) })
    yield* page.items
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
}
