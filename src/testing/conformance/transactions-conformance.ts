import { Effect } from "effect"
import { expect, it } from "vitest"
import { VersionConflictError } from "../../domain/shared/errors"
import type { StorageRepositories } from "../../ports/storage"
import * as A from "../arbitraries/entities"
import { conformanceKit, one, run, newTenant, at } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"

/**
 * The `transactions` sub-suite of the storage conformance suite.
 * Units of work: nothing kept of one that fails, dies or is interrupted; concurrent writers of one
 * record win once per version.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["transactions"] })
 * ```
 */
export const transactionsConformance: StorageSubSuite = (storage) => {
  const { tx, q, txFailure, seedConversation } = conformanceKit(storage)

  it("keep nothing of a unit of work that fails, dies or is interrupted", async () => {
    const tenantId = newTenant()
    const { contact, conversation } = await seedConversation(tenantId)
    const keyword = one(A.keyword(tenantId))
    const event = one(A.activityEvent(tenantId, conversation.id, contact.id))
    const writes = (r: StorageRepositories) =>
      Effect.gen(function* () {
        yield* r.conversations.update({ ...conversation, status: "resolved", version: 2 })
        yield* r.keywords.insert(keyword)
        yield* r.tagging.attachKeyword(tenantId, conversation.id, keyword.id, at(1))
        yield* r.activity.append([event])
      })
    await txFailure((r) => Effect.andThen(writes(r), Effect.fail("boom")))
    await run(Effect.exit(storage().transaction((r) => Effect.andThen(writes(r), Effect.die(new Error("bug"))))))
    await run(Effect.exit(storage().transaction((r) => Effect.andThen(writes(r), Effect.interrupt))))
    expect(await q((r) => r.conversations.get(tenantId, conversation.id))).toEqual(conversation)
    expect(await q((r) => r.keywords.get(tenantId, keyword.id))).toBeNull()
    expect(await q((r) => r.tagging.keywordsOf(tenantId, conversation.id))).toEqual([])
    expect(await q((r) => r.activity.listByConversation(tenantId, conversation.id, { limit: 10 }))).toEqual([])
    await tx(writes)
    expect((await q((r) => r.conversations.get(tenantId, conversation.id)))?.status).toBe("resolved")
  })

  it("let concurrent writers of one conversation win once per version, never losing an update", async () => {
    const tenantId = newTenant()
    const { conversation } = await seedConversation(tenantId)
    const writer = (agent: number) =>
      Effect.result(
        storage().transaction((r) =>
          Effect.gen(function* () {
            const current = yield* r.conversations.get(tenantId, conversation.id)
            yield* r.conversations.update({ ...current!, assigneeId: `agent-${agent}`, version: current!.version + 1 })
          }),
        ),
      )
    const results = await run(
      Effect.all(
        Array.from({ length: 8 }, (_, i) => writer(i)),
        { concurrency: "unbounded" },
      ),
    )
    const wins = results.filter((r) => r._tag === "Success").length
    for (const r of results) if (r._tag === "Failure") expect(r.failure).toBeInstanceOf(VersionConflictError)
    expect(wins).toBeGreaterThanOrEqual(1)
    expect((await q((r) => r.conversations.get(tenantId, conversation.id)))?.version).toBe(1 + wins)
  })
}
