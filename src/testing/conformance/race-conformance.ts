import { Cause, Effect, Exit, Layer, Option } from "effect"
import { expect, it } from "vitest"
import type { RmcError } from "../../domain/shared/errors"
import type { Principal } from "../../domain/shared/principal"
import type { Keyword } from "../../domain/tagging/keyword"
import type { Label } from "../../domain/tagging/label"
import { rmcLayer } from "../../facade/rmc-layer"
import { Storage } from "../../ports/storage"
import { type DialRequest, Telephony } from "../../ports/telephony"
import { useCases } from "../../use-cases"
import type { StorageSubSuite } from "./storage-sub-suite"

/** What the use cases need, as `rmcLayer` provides it. */
type Ports = Layer.Success<ReturnType<typeof rmcLayer>>

/** Concurrent agents in every race. */
const agents = 32
/** Concurrent retries of one idempotent creation. */
const retries = 16
const timeout = 120_000

/**
 * A telephony system that takes its time: each dial waits a few milliseconds, during which
 * `during` runs (e.g. a status report of the call), and answers a call id derived from the key.
 */
const slowTelephony = (during: (request: DialRequest) => Promise<void> = async () => {}) => {
  const dialed = new Map<string, number>()
  const service = Telephony.of({
    dial: (request) =>
      Effect.promise(async () => {
        dialed.set(request.idempotencyKey, (dialed.get(request.idempotencyKey) ?? 0) + 1)
        const report = during(request)
        await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 5))
        await report
        return { providerCallId: `p-${request.idempotencyKey}` }
      }),
  })
  return { service, dialed }
}

/**
 * The `races` sub-suite of the storage conformance suite: it declares vitest tests in which the
 * SDK's use cases run by 32 concurrent agents on the store, in fresh tenants, and checked for conflicts surfaced to
 * callers (0 expected) and lost writes (0 expected):
 *
 * - agents applying and removing labels and attaching and detaching keywords on one conversation;
 * - a keyword merge racing with agents attaching and detaching the merged keyword;
 * - 16 concurrent retries of every idempotent creation with one key: every retry gets the first
 *   answer, and one record is created (one call placed);
 * - status reports of calls that arrive while the telephony system dials;
 * - activity recorded and conversations opened at once for one contact.
 *
 * A store that runs one writing transaction at a time passes it trivially; a SQL store needs
 * locking reads (`getLocked` of the storage port) and a retry of transient conflicts
 * (deadlocks, serialization failures) to pass it. `storage` is called inside each test, once the
 * store is open; `numRuns` sets how many rounds each race runs (a round per 10 runs, 1 to 4).
 *
 * @example
 * ```ts
 * import { makeMemoryStorage } from "rmc-details"
 * import { racesConformance } from "rmc-details/testing"
 * const storage = makeMemoryStorage()
 * racesConformance(() => storage, { numRuns: 25 })
 * ```
 */
export const racesConformance: StorageSubSuite = (storage, options) => {
  const rounds = Math.max(1, Math.min(4, Math.floor(options.numRuns / 10)))

  const run = <A, E>(effect: Effect.Effect<A, E, Ports>, telephony?: Telephony["Service"]): Promise<A> =>
    Effect.runPromise(
      Effect.provide(
        effect,
        rmcLayer({ storage: Layer.succeed(Storage, storage()), ...(telephony === undefined ? {} : { telephony: Layer.succeed(Telephony, telephony) }) }),
      ) as Effect.Effect<A, E>,
    )
  /** Runs every effect at once; answers the successes and the failures (with their codes). */
  const all = async <A>(effects: ReadonlyArray<Effect.Effect<A, RmcError, Ports>>, telephony?: Telephony["Service"]) => {
    const exits = await Promise.all(effects.map((effect) => run(Effect.exit(effect), telephony)))
    const failures = exits.flatMap((exit) => {
      if (Exit.isSuccess(exit)) return []
      const error = Option.getOrUndefined(Exit.findErrorOption(exit))
      return [error === undefined ? `defect: ${Cause.pretty(exit.cause).slice(0, 300)}` : `${error.code}: ${error.message}`]
    })
    const successes = exits.flatMap((exit) => (Exit.isSuccess(exit) ? [exit.value] : []))
    return { successes, failures, exits }
  }

  const tenant = () => {
    const tenantId = `race-${crypto.randomUUID().slice(0, 18)}`
    const agent = (i: number): Principal => ({ tenantId, agentId: `agent-${i}`, role: "agent" })
    const supervisor: Principal = { tenantId, agentId: "sam", role: "supervisor" }
    return { tenantId, agent, supervisor }
  }

  const conversationOf = async (t: ReturnType<typeof tenant>, channels: number) => {
    const contact = await run(useCases.createContact(t.agent(0), { fullName: "Camille Martin", primaryPhone: "+33612345678" }))
    const conversations = []
    for (let i = 0; i < channels; i++) {
      conversations.push(await run(useCases.openConversation(t.agent(0), { contactId: contact.id, channel: i % 2 === 0 ? "whatsapp" : "voice" })))
    }
    return { contact, conversations }
  }

  it(
    `${agents} agents tagging one conversation: no conflict surfaced, no tag lost`,
    async () => {
      for (let round = 0; round < rounds; round++) {
        const t = tenant()
        const { conversations } = await conversationOf(t, 1)
        const conversationId = conversations[0]!.id
        const labels: Array<Label> = []
        const keywords: Array<Keyword> = []
        for (let i = 0; i < agents / 2; i++) {
          labels.push(await run(useCases.createLabel(t.agent(0), { name: `Label ${round}-${i}`, color: "#e11d48" })))
          keywords.push(await run(useCases.createKeyword(t.supervisor, { name: `Keyword ${round}-${i}` })))
        }
        // Agent i owns one tag (a label for the first half, a keyword for the other) and toggles
        // it; the tag ends applied for even i, removed for odd i.
        const toggles = 3 + (round % 2)
        const { failures } = await all(
          Array.from({ length: agents }, (_, i) =>
            Effect.gen(function* () {
              const who = t.agent(i)
              const endsOn = i % 2 === 0
              for (let n = 0; n < toggles * 2 + (endsOn ? 1 : 0); n++) {
                const on = n % 2 === 0
                if (i < agents / 2) {
                  const labelId = labels[i]!.id
                  yield* on ? useCases.applyLabel(who, { conversationId, labelId }) : useCases.removeLabel(who, { conversationId, labelId })
                } else {
                  const keywordId = keywords[i - agents / 2]!.id
                  yield* on ? useCases.attachKeyword(who, { conversationId, keywordId }) : useCases.detachKeyword(who, { conversationId, keywordId })
                }
              }
            }),
          ),
        )
        expect(failures).toEqual([])
        const details = await run(useCases.getDetails(t.agent(0), { conversationId }))
        const expected = { labels: new Set<string>(), keywords: new Set<string>() }
        for (let i = 0; i < agents; i += 2) {
          if (i < agents / 2) expected.labels.add(labels[i]!.id)
          else expected.keywords.add(keywords[i - agents / 2]!.id)
        }
        expect(new Set(details.labels.map((l) => l.id))).toEqual(expected.labels)
        expect(new Set(details.keywords.map((k) => k.id))).toEqual(expected.keywords)
      }
    },
    timeout,
  )

  it(
    "a keyword merge racing with agents attaching and detaching: no conversation keeps the merged keyword, no attachment is lost",
    async () => {
      for (let round = 0; round < rounds; round++) {
        const t = tenant()
        const { conversations } = await conversationOf(t, 16)
        const source = await run(useCases.createKeyword(t.supervisor, { name: `Facture ${round}` }))
        const target = await run(useCases.createKeyword(t.supervisor, { name: `Invoice ${round}` }))
        // Conversations 8 to 15 carry the source; agents detach it from them while others attach it to 0 to 7.
        for (const c of conversations.slice(8)) await run(useCases.attachKeyword(t.agent(0), { conversationId: c.id, keywordId: source.id }))
        const tagging = Array.from({ length: agents - 8 }, (_, i) =>
          useCases.attachKeyword(t.agent(i), { conversationId: conversations[i % 8]!.id, keywordId: source.id }),
        )
        const detaching = Array.from({ length: 8 }, (_, i) =>
          useCases.detachKeyword(t.agent(agents - 8 + i), { conversationId: conversations[8 + i]!.id, keywordId: source.id }),
        )
        const merge = Effect.andThen(
          Effect.sleep(Math.floor(Math.random() * 8)),
          useCases.mergeKeywords(t.supervisor, { sourceId: source.id, targetId: target.id }),
        )
        const { failures } = await all<unknown>([...tagging, ...detaching, merge])
        expect(failures).toEqual([])
        for (const [i, c] of conversations.entries()) {
          const keywords = (await run(useCases.getDetails(t.agent(0), { conversationId: c.id }))).keywords.map((k) => k.id)
          expect(keywords).not.toContain(source.id)
          expect(keywords).toEqual(i < 8 ? [target.id] : [])
        }
        const again = await run(Effect.flip(useCases.mergeKeywords(t.supervisor, { sourceId: source.id, targetId: target.id })))
        expect(again.code).toBe("archived")
      }
    },
    timeout,
  )

  it(
    `${retries} concurrent retries of every idempotent creation with one key all get the first answer`,
    async () => {
      for (let round = 0; round < rounds; round++) {
        const t = tenant()
        const { contact, conversations } = await conversationOf(t, 1)
        const conversationId = conversations[0]!.id
        const phone = slowTelephony()
        const same = async <A extends { readonly id: string }>(what: string, create: (i: number) => Effect.Effect<A, RmcError, Ports>) => {
          const { successes, failures } = await all(
            Array.from({ length: retries }, (_, i) => create(i)),
            phone.service,
          )
          expect({ what, failures }).toEqual({ what, failures: [] })
          expect(new Set(successes.map((s) => s.id)).size).toBe(1)
          return successes
        }
        const key = (what: string) => `${what}-${round}`
        for (const answers of [
          await same("createLabel", (i) => useCases.createLabel(t.agent(i), { name: "Hot lead", color: "#e11d48", idempotencyKey: key("label") })),
          await same("createKeyword", () => useCases.createKeyword(t.supervisor, { name: "Invoice", idempotencyKey: key("keyword") })),
          await same("createDepartment", () => useCases.createDepartment(t.supervisor, { name: "Sales", idempotencyKey: key("department") })),
          await same("addNote", () =>
            useCases.addNote(t.agent(1), { subject: { kind: "conversation", id: conversationId }, body: "Call back at 3pm", idempotencyKey: key("note") }),
          ),
          await same("createContact", () =>
            useCases.createContact(t.agent(1), { fullName: "Dominique Petit", primaryPhone: "+33698765432", idempotencyKey: key("contact") }),
          ),
          await same("openConversation", () => useCases.openConversation(t.agent(1), { contactId: contact.id, channel: "email", idempotencyKey: key("open") })),
        ]) {
          for (const answer of answers) expect(answer).toEqual(answers[0])
        }
        const calls = await same("callContact", () => useCases.callContact(t.agent(1), { conversationId, idempotencyKey: key("call") }))
        expect(phone.dialed.get(key("call"))).toBe(1)
        expect((await run(useCases.listCalls(t.agent(1), { conversationId }))).items).toMatchObject([{ id: calls[0]!.id }])
        expect((await run(useCases.listLabels(t.agent(1), {}))).items).toHaveLength(1)
        expect((await run(useCases.listKeywords(t.agent(1), {}))).items).toHaveLength(1)
        expect((await run(useCases.listDepartments(t.agent(1), {}))).items).toHaveLength(1)
        expect((await run(useCases.listNotes(t.agent(1), { subject: { kind: "conversation", id: conversationId } }))).items).toHaveLength(1)
        expect((await run(useCases.listContactConversations(t.agent(1), { contactId: contact.id }))).items).toHaveLength(2)
      }
    },
    timeout,
  )

  it(
    `status reports that arrive while the telephony system dials are kept (${agents} calls at once)`,
    async () => {
      for (let round = 0; round < rounds; round++) {
        const t = tenant()
        const webhook: Principal = { tenantId: t.tenantId, agentId: "voip-webhook", role: "supervisor" }
        const { conversations } = await conversationOf(t, 1)
        const conversationId = conversations[0]!.id
        const reported: Array<Promise<unknown>> = []
        const phone = slowTelephony(async (request) => {
          // The report races with the end of the dial: sent now, answered whenever.
          const report = run(
            useCases.recordCallStatus(webhook, {
              callId: request.callId,
              providerCallId: `p-${request.idempotencyKey}`,
              status: "ringing",
              at: new Date().toISOString(),
            }),
          )
          reported.push(report)
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3))
        })
        const { successes, failures } = await all(
          Array.from({ length: agents }, (_, i) => useCases.callContact(t.agent(i), { conversationId, idempotencyKey: `call-${round}-${i}` })),
          phone.service,
        )
        expect(failures).toEqual([])
        expect(successes).toHaveLength(agents)
        await Promise.all(reported)
        const { items: calls } = await run(useCases.listCalls(t.agent(0), { conversationId, limit: 100 }))
        expect(calls).toHaveLength(agents)
        for (const call of calls) expect(call).toMatchObject({ status: "ringing", providerCallId: `p-${call.idempotencyKey}` })
      }
    },
    timeout,
  )

  it(
    `${agents} agents recording activity and opening conversations for one contact: no conflict surfaced, the latest time wins`,
    async () => {
      for (let round = 0; round < rounds; round++) {
        const t = tenant()
        const { contact, conversations } = await conversationOf(t, 4)
        const base = Date.parse(conversations.at(-1)!.lastActivityAt)
        const recorders = agents - 8
        const at = (i: number) => new Date(base + 1 + ((i * 7919) % recorders)).toISOString()
        const { failures, successes } = await all<unknown>([
          ...Array.from({ length: recorders }, (_, i) =>
            useCases.recordConversationActivity(t.agent(i), { conversationId: conversations[i % 4]!.id, at: at(i) }),
          ),
          ...Array.from({ length: 8 }, (_, i) => useCases.openConversation(t.agent(recorders + i), { contactId: contact.id, channel: "sms" })),
        ])
        expect(failures).toEqual([])
        expect(successes).toHaveLength(agents)
        const page = await run(useCases.listContactConversations(t.agent(0), { contactId: contact.id, limit: 100 }))
        expect(page.items).toHaveLength(12)
        for (const [c, conversation] of conversations.entries()) {
          const latest = Array.from({ length: recorders }, (_, i) => i)
            .filter((i) => i % 4 === c)
            .map(at)
            .sort()
            .at(-1)!
          expect((await run(useCases.getConversation(t.agent(0), { conversationId: conversation.id }))).lastActivityAt).toBe(latest)
        }
        const everything = page.items.map((c) => c.lastActivityAt).sort()
        expect((await run(useCases.getContact(t.agent(0), { contactId: contact.id }))).lastActivityAt).toBe(everything.at(-1))
      }
    },
    timeout,
  )
}
