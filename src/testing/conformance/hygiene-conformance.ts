import { Effect, Layer } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeMemoryTelephony } from "../../adapters/memory/memory-telephony"
import { NameTakenError, ValidationError } from "../../domain/shared/errors"
import { encodeCursor, encodeNameCursor, type Page } from "../../domain/shared/page"
import type { Principal } from "../../domain/shared/principal"
import { textProblem } from "../../domain/shared/text"
import { CatalogName } from "../../domain/tagging/catalog-name"
import { rmcLayer } from "../../facade/rmc-layer"
import { Storage } from "../../ports/storage"
import { useCases } from "../../use-cases"
import type { StorageSubSuite } from "./storage-sub-suite"

type Ports = Layer.Success<ReturnType<typeof rmcLayer>>
type Api = { readonly [K in keyof typeof useCases]: (principal: Principal, input: unknown) => Effect.Effect<unknown, unknown, Ports> }

// Strings that no operation may store. Each is refused by validation before any port is touched.
const hostile = {
  nul: "in\u0000side",
  loneHighSurrogate: "half \uD83D pair",
  loneLowSurrogate: "\uDE00 alone",
  escape: "\u001B[31mred",
  bell: "ding\u0007",
  del: "rub\u007Fout",
  tabInName: "tab\tbed",
  newlineInName: "two\nlines",
  // A letter (Hangul filler) and format characters that all fold to nothing: an invisible name.
  invisible: "\u3164\u200B\u00AD\u2060",
  // 80 characters that grow to 240 once normalised (U+FB03 LATIN SMALL LIGATURE FFI is "ffi").
  ligatures: "\uFB03".repeat(80),
  // 5 characters that grow to 90 (U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM).
  arabicLigatures: "\uFDFA".repeat(5),
  tooLong: "x".repeat(81),
} as const

// Strings that every store must give back exactly as they were accepted.
const tricky = {
  multiline: "Line one\r\nLine two\n\tindented\tcolumns",
  emoji: "Rappeler 👩🏽‍💻 demain 🚀 — ça marche ✔️",
  astral: "𝐁𝐨𝐥𝐝 𠜎𠜱𠝹 𓀀",
  rtl: "مرحبا بالعالم \u202Bשלום\u202C end",
  combining: "e\u0301e\u0300 Zalgo z\u0335\u0321a\u0322",
  noncharacter: "edge \uFFFE\uFFFF \u{10FFFF} end",
} as const

/**
 * The `hygiene` sub-suite of the storage conformance suite: bad text never reaches the store, and
 * good text comes back from it exactly. It runs the operations of the Effect API over the store:
 * hostile strings (NUL, lone surrogates, control characters, invisible names, names that grow past
 * 80 characters once normalised, names one character too long) are refused with a
 * `ValidationError` naming the field, and nothing is written (the outbox does not move); accepted
 * tricky strings (tabs and line breaks in note bodies, emoji, astral characters, right-to-left
 * text, combining marks, names and bodies of the maximum length) round-trip exactly; names that
 * differ only by case, accents, compatibility forms or invisible characters collide.
 *
 * @example
 * ```ts
 * import { beforeAll, describe } from "vitest"
 * import { makeMemoryStorage, type Storage } from "rmc-details"
 * import { hygieneConformance } from "rmc-details/testing"
 * describe("hygiene", () => {
 *   let storage: Storage["Service"]
 *   beforeAll(() => {
 *     storage = makeMemoryStorage()
 *   })
 *   hygieneConformance(() => storage, { numRuns: 25 })
 * })
 * ```
 */
export const hygieneConformance: StorageSubSuite = (storage, options) => {
  const telephony = makeMemoryTelephony()
  const api = useCases as unknown as Api
  const run = <A>(effect: Effect.Effect<A, unknown, Ports>): Promise<A> =>
    Effect.runPromise(Effect.provide(effect, rmcLayer({ storage: Layer.succeed(Storage, storage()), telephony: telephony.layer })))
  const call = <A = unknown>(principal: Principal, name: keyof typeof useCases, input: unknown): Promise<A> =>
    run(api[name](principal, input) as Effect.Effect<A, unknown, Ports>)
  const refusal = (principal: Principal, name: keyof typeof useCases, input: unknown): Promise<unknown> => run(Effect.flip(api[name](principal, input)))

  const admin = (): Principal => ({ tenantId: `t-${crypto.randomUUID().slice(0, 18)}`, agentId: "hygiene-admin", role: "admin" })

  // The outbox is shared by every tenant of the store: follow its end from one check to the next.
  let outboxEnd = 0
  const outboxPosition = async (): Promise<number> => {
    for (;;) {
      const batch = await run(storage().query((r) => r.activity.readOutbox(outboxEnd, 1000)))
      if (batch.length === 0) return outboxEnd
      outboxEnd = batch.at(-1)!.position
    }
  }
  const expectNothingWritten = async (since: number) => {
    expect(await run(storage().query((r) => r.activity.readOutbox(since, 10)))).toEqual([])
  }
  const expectRefused = async (principal: Principal, name: keyof typeof useCases, input: unknown, field: ReadonlyArray<string | number>) => {
    const since = await outboxPosition()
    const error = await refusal(principal, name, input)
    expect(error, `${name} ${JSON.stringify(input)}`).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.path.join("."))).toContain(field.join("."))
    await expectNothingWritten(since)
  }

  const seed = async () => {
    const principal = admin()
    const contact = await call<{ id: string }>(principal, "createContact", { fullName: "Hygiene Contact", type: "Lead", primaryPhone: "+33612345678" })
    const conversation = await call<{ id: string; lastActivityAt: string }>(principal, "openConversation", { contactId: contact.id, channel: "sms" })
    const keyword = await call<{ id: string }>(principal, "createKeyword", { name: "Baseline" })
    const label = await call<{ id: string }>(principal, "createLabel", { name: "Baseline", color: "#123456" })
    const note = await call<{ id: string }>(principal, "addNote", { subject: { kind: "conversation", id: conversation.id }, body: "Baseline" })
    const placed = await call<{ id: string; providerCallId: string }>(principal, "callContact", {
      conversationId: conversation.id,
      idempotencyKey: crypto.randomUUID(),
    })
    return { principal, contact, conversation, keyword, label, note, call: placed }
  }
  type Seeded = Awaited<ReturnType<typeof seed>>

  // Every place where a caller's text is stored or sent to the store, as an operation and the path of
  // the field in its input.
  const slots: ReadonlyArray<{
    readonly name: keyof typeof useCases
    readonly field: ReadonlyArray<string | number>
    readonly input: (s: Seeded, value: string) => unknown
  }> = [
    { name: "createKeyword", field: ["name"], input: (_, value) => ({ name: value }) },
    { name: "renameKeyword", field: ["name"], input: (s, value) => ({ keywordId: s.keyword.id, name: value }) },
    { name: "createDepartment", field: ["name"], input: (_, value) => ({ name: value }) },
    { name: "createLabel", field: ["name"], input: (_, value) => ({ name: value, color: "#e11d48" }) },
    { name: "createLabel", field: ["description"], input: (_, value) => ({ name: "Described", color: "#e11d48", description: `${value}\n${value}` }) },
    { name: "updateLabel", field: ["name"], input: (s, value) => ({ labelId: s.label.id, name: value }) },
    { name: "createContact", field: ["fullName"], input: (_, value) => ({ fullName: value }) },
    { name: "createContact", field: ["type"], input: (_, value) => ({ fullName: "Typed", type: value }) },
    { name: "createContact", field: ["phones", 0], input: (_, value) => ({ fullName: "Phoned", phones: [`+3361234567${value}`] }) },
    {
      name: "createContact",
      field: ["channelIdentities", 0, "handle"],
      input: (_, value) => ({ fullName: "Handled", channelIdentities: [{ channel: "telegram", handle: `@${value}` }] }),
    },
    { name: "updateContact", field: ["fullName"], input: (s, value) => ({ contactId: s.contact.id, fullName: value }) },
    { name: "transformContact", field: ["reason"], input: (s, value) => ({ contactId: s.contact.id, to: "Client", reason: `${value}\n${value}` }) },
    { name: "configureTenant", field: ["contactTypes", 1], input: (_, value) => ({ contactTypes: ["Lead", value] }) },
    { name: "addNote", field: ["body"], input: (s, value) => ({ subject: { kind: "contact", id: s.contact.id }, body: `${value}\n${value}` }) },
    { name: "editNote", field: ["body"], input: (s, value) => ({ noteId: s.note.id, body: `\t${value}` }) },
    {
      name: "transferConversation",
      field: ["note"],
      input: (s, value) => ({ conversationId: s.conversation.id, toAgentId: "bob", note: `${value}\n${value}` }),
    },
    { name: "searchConversations", field: ["filter", "contactTypes", 0], input: (_, value) => ({ filter: { contactTypes: [value] } }) },
    {
      name: "recordCallStatus",
      field: ["providerCallId"],
      input: (s, value) => ({ providerCallId: `${s.call.providerCallId}${value}`, status: "ringing", at: new Date().toISOString() }),
    },
    {
      name: "recordCallStatus",
      field: ["reason"],
      input: (s, value) => ({ callId: s.call.id, status: "failed", at: new Date().toISOString(), reason: `${value}\r\n${value}` }),
    },
    { name: "listContactConversations", field: ["cursor"], input: (s, value) => ({ contactId: s.contact.id, cursor: value }) },
  ]
  // Control characters and lone surrogates are refused in every slot; the name rules only in names.
  const everywhere = ["nul", "loneHighSurrogate", "loneLowSurrogate", "escape", "bell", "del"] as const
  const inNames = ["tabInName", "newlineInName", "invisible", "ligatures", "arabicLigatures", "tooLong"] as const
  const isNameSlot = (slot: (typeof slots)[number]) => slot.field[0] === "name"

  describe("hostile text is refused and nothing is written", () => {
    it("in every field that reaches the store, with a ValidationError naming the field", async () => {
      const s = await seed()
      const contact = await call(s.principal, "getContact", { contactId: s.contact.id })
      for (const slot of slots) {
        for (const kind of [...everywhere, ...(isNameSlot(slot) ? inNames : [])]) {
          await expectRefused(s.principal, slot.name, slot.input(s, hostile[kind]), slot.field)
        }
      }
      // The seeded records are as they were.
      expect(await call(s.principal, "getNote", { noteId: s.note.id })).toMatchObject({ body: "Baseline", version: 1 })
      expect(await call(s.principal, "getContact", { contactId: s.contact.id })).toEqual(contact)
      expect((await call<Page<{ name: string }>>(s.principal, "listKeywords", {})).items.map((k) => k.name)).toEqual(["Baseline"])
      expect((await call<Page<{ name: string }>>(s.principal, "listDepartments", {})).items.map((k) => k.name)).toEqual([])
    })

    it("for any string holding a control character or a lone surrogate, in any field", async () => {
      const s = await seed()
      const spoiled = fc
        .tuple(
          fc.string({ maxLength: 10 }),
          fc.oneof(
            fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d),
            fc.constant(0x7f),
            fc.integer({ min: 0xd800, max: 0xdfff }),
          ),
          fc.string({ maxLength: 10 }),
        )
        // Between two letters: white space around a text is trimmed away, not stored.
        .map(([before, code, after]) => `${before}x${String.fromCharCode(code)}y${after}`)
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...slots), spoiled, async (slot, value) => {
          await expectRefused(s.principal, slot.name, slot.input(s, value), slot.field)
        }),
        { numRuns: options.numRuns },
      )
    })

    it("for a cursor that decodes to a control character", async () => {
      const s = await seed()
      const cursor = encodeCursor({ at: new Date().toISOString(), id: "\u0000" })
      await expectRefused(s.principal, "listContactConversations", { contactId: s.contact.id, cursor }, ["cursor"])
      await expectRefused(s.principal, "conversationActivity", { conversationId: s.conversation.id, cursor }, ["cursor"])
      await expectRefused(s.principal, "contactActivity", { contactId: s.contact.id, cursor: encodeCursor({ at: "2026\u0000", id: "x" }) }, ["cursor"])
      await expectRefused(s.principal, "listNotes", { subject: { kind: "contact", id: s.contact.id }, cursor }, ["cursor"])
      await expectRefused(s.principal, "listLabels", { cursor: encodeNameCursor({ name: "a\u0000", id: "x" }) }, ["cursor"])
      // A cursor of a list sorted by time is not one of a list sorted by name, nor the reverse.
      await expectRefused(s.principal, "listKeywords", { cursor: encodeCursor({ at: new Date().toISOString(), id: "x" }) }, ["cursor"])
      await expectRefused(s.principal, "listCalls", { conversationId: s.conversation.id, cursor: encodeNameCursor({ name: "a", id: "x" }) }, ["cursor"])
    })

    it("for a time more than five minutes ahead of the clock", async () => {
      const s = await seed()
      const ahead = new Date(Date.now() + 6 * 60_000).toISOString()
      await expectRefused(s.principal, "recordConversationActivity", { conversationId: s.conversation.id, at: "9999-12-31T23:59:59Z" }, ["at"])
      await expectRefused(s.principal, "recordConversationActivity", { conversationId: s.conversation.id, at: ahead }, ["at"])
      await expectRefused(s.principal, "recordCallStatus", { callId: s.call.id, status: "answered", at: ahead }, ["at"])
      expect(await call(s.principal, "getConversation", { conversationId: s.conversation.id })).toMatchObject({ lastActivityAt: s.conversation.lastActivityAt })
    })

    it("for a name that differs from a taken one only by case, accents, compatibility forms or invisible characters", async () => {
      const principal = admin()
      await call(principal, "createKeyword", { name: "Office Éfficace" })
      for (const variant of [
        "office efficace",
        "O\uFB03ce Efficace",
        "Of\u00ADfice E\u200Bfficace",
        "OFFICE\u2060 EFFICACE\uFE0F",
        "ｏｆｆｉｃｅ　ｅｆｆｉｃａｃｅ",
      ]) {
        const since = await outboxPosition()
        expect(await refusal(principal, "createKeyword", { name: variant }), variant).toBeInstanceOf(NameTakenError)
        await expectNothingWritten(since)
      }
      expect((await call<Page<{ name: string }>>(principal, "listKeywords", {})).items.map((k) => k.name)).toEqual(["Office Éfficace"])
    })
  })

  describe("accepted text comes back exactly", () => {
    it("in note bodies: line breaks, tabs, emoji, astral and right-to-left characters, and the longest body", async () => {
      const s = await seed()
      // 5000 characters (code points), 9998 UTF-16 code units.
      const longest = `${"𝐁".repeat(4997)}\n\t!`
      for (const body of [...Object.values(tricky), longest]) {
        const note = await call<{ id: string; body: string }>(s.principal, "addNote", { subject: { kind: "contact", id: s.contact.id }, body })
        expect(note.body).toBe(body)
        expect(await call(s.principal, "getNote", { noteId: note.id })).toMatchObject({ body })
      }
      expect([...longest].length).toBe(5000)
      const edited = await call<{ body: string; revisions: Array<{ body: string }> }>(s.principal, "editNote", { noteId: s.note.id, body: tricky.multiline })
      expect(edited.body).toBe(tricky.multiline)
      expect(await call(s.principal, "getNote", { noteId: s.note.id })).toMatchObject({ body: tricky.multiline, revisions: [{ body: "Baseline" }] })
    })

    it("in names, full names, handles, descriptions and failure reasons, up to their maximum length", async () => {
      const s = await seed()
      const names = [`${"😀".repeat(78)}ok`, `${"𝐁".repeat(79)}`, "x".repeat(80), "客户服务 🚀", "مبيعات", "Ünïcödé ✓", "𝐁𝐨𝐥𝐝"]
      for (const name of names) {
        const keyword = await call<{ id: string; name: string }>(s.principal, "createKeyword", { name })
        expect(keyword.name).toBe(name)
        const label = await call<{ id: string; name: string }>(s.principal, "createLabel", { name, color: "#0f0f0f", description: tricky.multiline })
        expect(label.name).toBe(name)
      }
      const { items: keywords } = await call<Page<{ name: string }>>(s.principal, "listKeywords", { limit: 100 })
      expect(keywords.map((k) => k.name).sort()).toEqual(["Baseline", ...names].sort())
      const { items: labels } = await call<Page<{ name: string; description: string | null }>>(s.principal, "listLabels", { limit: 100 })
      expect(labels.filter((l) => l.name !== "Baseline").map((l) => l.description)).toEqual(names.map(() => tricky.multiline))

      const prefix = `${tricky.rtl} ${tricky.astral} `
      const fullName = `${prefix}${"é".repeat(180 - [...prefix].length)}${"𓀀".repeat(20)}`
      const handle = `@${"𝐁".repeat(319)}`
      const contact = await call<{ id: string }>(s.principal, "createContact", { fullName, channelIdentities: [{ channel: "telegram", handle }] })
      expect(await call(s.principal, "getContact", { contactId: contact.id })).toMatchObject({ fullName, channelIdentities: [{ channel: "telegram", handle }] })
      expect([...fullName].length).toBe(200)
      expect([...handle].length).toBe(320)

      const reason = `${tricky.multiline} ${tricky.emoji}`
      await call(s.principal, "recordCallStatus", { callId: s.call.id, status: "failed", at: new Date().toISOString(), reason })
      expect((await call<Page<unknown>>(s.principal, "listCalls", { conversationId: s.conversation.id })).items).toMatchObject([
        { id: s.call.id, failureReason: reason },
      ])
    })

    it("for any well-formed text without control characters", async () => {
      const s = await seed()
      const body = fc
        .string({ unit: "grapheme", minLength: 1, maxLength: 60 })
        .map((value) => value.trim())
        .filter((value) => value.length > 0 && textProblem(value) === undefined)
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const note = await call<{ id: string }>(s.principal, "addNote", { subject: { kind: "contact", id: s.contact.id }, body: value })
          expect(await call(s.principal, "getNote", { noteId: note.id })).toMatchObject({ body: value })
          if (!CatalogName.safeParse(value).success) return
          const principal = admin()
          const keyword = await call<{ id: string }>(principal, "createKeyword", { name: value })
          expect((await call<Page<unknown>>(principal, "listKeywords", {})).items).toMatchObject([{ id: keyword.id, name: value }])
        }),
        { numRuns: options.numRuns },
      )
    })
  })
}
