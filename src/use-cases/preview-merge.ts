import { Effect } from "effect"
import { valuesByKey } from "../domain/attribute/attribute-definition"
import { identitiesOf, identityKey } from "../domain/contact/contact-identity"
import { mergeConflicts } from "../domain/merge/merge-preview"
import { Storage } from "../ports/storage"
import { contactAttributes, mergeParties, mergeSettings, unmergeWindowStart } from "./support/merge-parties"
import { currentTime } from "./support/now"
import { defineUseCase } from "./support/use-case"

/**
 * What merging the contact `secondaryId` into `primaryId` would do, without doing it: both
 * contacts, how many conversations, notes, calls and activity events would move to the primary,
 * the identities and phone numbers it would gain, and each field both contacts have a different
 * value for (`conflicts`, see `mergeConflicts`), to choose from with `mergeContacts`. Refused like
 * the merge itself (role, tombstones, erased contacts, chains).
 *
 * @example
 * ```ts
 * import { previewMerge } from "rmc-details"
 * const program = previewMerge({ tenantId: "acme", agentId: "sam", role: "supervisor" },
 *   { primaryId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", secondaryId: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12" })
 * ```
 */
export const previewMerge = defineUseCase("previewMerge", (principal, input) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const now = yield* currentTime
    const { tenantId } = principal
    return yield* storage.query((r) =>
      Effect.gen(function* () {
        const settings = yield* mergeSettings(r, principal, "previewMerge")
        const { primary, secondary } = yield* mergeParties(r, tenantId, input, unmergeWindowStart(settings, now), false)
        const counts = yield* r.merges.countRecords(tenantId, secondary.id)
        const held = new Set(identitiesOf(primary).map(identityKey))
        const identities = identitiesOf(secondary).filter((identity) => !held.has(identityKey(identity)))
        const conflicts = mergeConflicts(
          { contact: primary, attributes: valuesByKey(yield* contactAttributes(r, tenantId, primary.id)) },
          { contact: secondary, attributes: valuesByKey(yield* contactAttributes(r, tenantId, secondary.id)) },
        )
        return {
          primary,
          secondary,
          moves: { ...counts, identities: [...identities], phones: identities.filter((i) => i.kind === "phone").map((i) => i.value) },
          conflicts: [...conflicts],
        }
      }),
    )
  }),
)
