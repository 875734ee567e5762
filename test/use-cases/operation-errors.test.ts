import type { Effect } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import { rmcErrors } from "../../src/domain/shared/errors"
import { Role } from "../../src/domain/shared/principal"
import type { useCases } from "../../src/use-cases"
import { type OperationName, operations } from "../../src/use-cases/catalog"
import { type OperationErrorCode, operationErrorCodes, operationErrors } from "../../src/use-cases/operation-errors"

describe("the errors of each operation", () => {
  it("lists forbidden for every operation above the lowest role, and for the note author's rule and the tenant's merge role", () => {
    for (const name of Object.keys(operations) as Array<OperationName>) {
      // A note's author rule, and the tenant's merge role (merge.minRole), refuse some agents.
      const refusesSome = ["editNote", "deleteNote", "previewMerge", "mergeContacts", "unmergeContacts"].includes(name)
      expect((operationErrors[name] as ReadonlyArray<string>).includes("forbidden"), name).toBe(operations[name].minRole !== Role.options[0] || refusesSome)
    }
  })

  it("gives every error of the registry to some operation: a new error cannot be left out of the table", () => {
    const listed = new Set((Object.keys(operations) as Array<OperationName>).flatMap((name) => operationErrorCodes(name)))
    // Authentication is the HTTP handler's, before any operation runs.
    expect(Object.keys(rmcErrors).filter((code) => !listed.has(code as never))).toEqual(["unauthenticated"])
  })

  it("adds those of every operation, in the registry's order", () => {
    expect(operationErrorCodes("getDetails")).toEqual(["validation_failed", "not_found", "storage_unavailable"])
    expect(operationErrorCodes("renameKeyword")).toEqual(["validation_failed", "forbidden", "not_found", "name_taken", "storage_unavailable"])
    // An agent's operation that refuses some agents lists forbidden once.
    expect(operationErrorCodes("editNote").filter((code) => code === "forbidden")).toHaveLength(1)
  })

  it("lists every error that the type of its use case says it can fail with", () => {
    // forbidden comes with every operation's role check; the test above says where it can happen.
    type CodeOf<F> = F extends (...args: never) => Effect.Effect<unknown, { readonly code: infer C }, unknown> ? C : never
    type Unlisted = { readonly [K in OperationName]: Exclude<CodeOf<(typeof useCases)[K]>, OperationErrorCode<K> | "forbidden"> }
    expectTypeOf<Unlisted>().toEqualTypeOf<{ readonly [K in OperationName]: never }>()
  })

  it("types them the same way", () => {
    expectTypeOf<OperationErrorCode<"getDetails">>().toEqualTypeOf<"validation_failed" | "not_found" | "storage_unavailable">()
    expectTypeOf<OperationErrorCode<"renameKeyword">>().toEqualTypeOf<"validation_failed" | "forbidden" | "not_found" | "name_taken" | "storage_unavailable">()
  })
})
