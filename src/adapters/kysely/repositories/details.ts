import type { StorageRepositories } from "../../../ports/storage"
import { loadDetails } from "../details-query"
import { attempt } from "../storage-errors"
import type { Scope } from "./scope"

/** The Details panel of a conversation, read in one statement (see {@link loadDetails}). */
export const detailsRepository = (s: Scope): StorageRepositories["details"] => ({
  load: (tenantId, conversationId, limits, reader) =>
    attempt(() => loadDetails(s.db, s.store.statements, s.store.options, tenantId, conversationId, limits, reader)),
})
