import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ActivityEvent } from "../../src/domain/activity/activity-event"
import { CallAttempt } from "../../src/domain/call/call-attempt"
import { Contact } from "../../src/domain/contact/contact"
import { Conversation } from "../../src/domain/conversation/conversation"
import { Department } from "../../src/domain/department/department"
import { ContactMerge } from "../../src/domain/merge/contact-merge"
import { Note } from "../../src/domain/note/note"
import { Principal } from "../../src/domain/shared/principal"
import { Keyword } from "../../src/domain/tagging/keyword"
import { Label } from "../../src/domain/tagging/label"
import { normalizeName } from "../../src/domain/tagging/normalize-name"
import { TenantSettings } from "../../src/domain/tenant/tenant-settings"
import { type OperationName, operations } from "../../src/use-cases/catalog"
import * as T from "../../src/testing"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 50)
const contactId = "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11"
const conversationId = "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12"

describe("entity arbitraries", () => {
  const cases: ReadonlyArray<[string, fc.Arbitrary<unknown>, { safeParse(v: unknown): { success: boolean } }]> = [
    ["principal", T.principal("acme"), Principal],
    ["tenant settings", T.tenantSettings("acme"), TenantSettings],
    ["contact", T.contact("acme"), Contact],
    ["conversation", T.conversation("acme", contactId), Conversation],
    ["department", T.department("acme"), Department],
    ["keyword", T.keyword("acme"), Keyword],
    ["label", T.label("acme"), Label],
    ["note", T.note("acme", { kind: "contact", id: contactId }, contactId), Note],
    ["call attempt", T.callAttempt("acme", conversationId, contactId), CallAttempt],
    ["activity event", T.activityEvent("acme", conversationId, contactId), ActivityEvent],
    ["contact merge", T.contactMerge("acme"), ContactMerge],
  ]
  for (const [name, arbitrary, schema] of cases) {
    it(`${name}: every value satisfies the domain schema`, () => {
      fc.assert(
        fc.property(arbitrary, (value) => {
          expect(schema.safeParse(value).success).toBe(true)
        }),
        { numRuns },
      )
    })
  }

  it("name variants normalise to the same name", () => {
    fc.assert(
      fc.property(
        T.arbitraries.catalogName.chain((n) => fc.tuple(fc.constant(n), T.nameVariant(n))),
        ([name, variant]) => {
          expect(normalizeName(variant)).toBe(normalizeName(name))
        },
      ),
      { numRuns },
    )
  })
})

describe("command arbitraries", () => {
  for (const name of Object.keys(operations) as Array<OperationName>) {
    it(`${name}: valid inputs pass its schema, invalid ones do not`, () => {
      fc.assert(
        fc.property(T.validInput(name), T.invalidInput(name), (valid, invalid) => {
          expect(operations[name].input.safeParse(valid).success).toBe(true)
          expect(operations[name].input.safeParse(invalid).success).toBe(false)
        }),
        { numRuns: Math.min(numRuns, 20) },
      )
    })
  }

  it("anyCommand names an operation with an input it accepts", () => {
    fc.assert(
      fc.property(T.anyCommand(), ({ name, input }) => {
        expect(operations[name].input.safeParse(input).success).toBe(true)
      }),
      { numRuns },
    )
  })
})
