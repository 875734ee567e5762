import { Cause, Effect, Exit, Layer, Option } from "effect"
import fc from "fast-check"
import { expect, it } from "vitest"
import type { Contact } from "../../domain/contact/contact"
import { type ContactIdentity, contactNameKey, identitiesOf, identityKey } from "../../domain/contact/contact-identity"
import { IdentityTakenError, type RmcError, VersionConflictError } from "../../domain/shared/errors"
import type { Principal } from "../../domain/shared/principal"
import { rmcLayer } from "../../facade/rmc-layer"
import { Storage } from "../../ports/storage"
import { useCases } from "../../use-cases"
import * as A from "../arbitraries/entities"
import { conformanceKit, newTenant, one } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { nameOrder, orderBy } from "../../domain/shared/ordering"

/** What the use cases need, as `rmcLayer` provides it. */
type Ports = Layer.Success<ReturnType<typeof rmcLayer>>

/** Concurrent inbound messages, or writers, in every race. */
const contenders = 16
const timeout = 120_000

/**
 * The `identities` sub-suite of the storage conformance suite. A tenant's contacts never share an
 * identity (a phone number, an e-mail address, a channel handle; see `identitiesOf`):
 *
 * - `insert` and `update` claim the identities a contact gains and release those it loses, and fail
 *   with `IdentityTakenError` naming the holder when another contact has one, writing nothing;
 * - `findByIdentity` finds the holder, in its tenant only; `listByNamePrefix` pages a tenant's
 *   contacts by name key;
 * - under real concurrency: 16 `resolveContact` calls for one new handle give one contact, 16
 *   writers claiming one identity leave it to one of them, and (a property) random concurrent
 *   creations and updates over a few shared identities never leave one with two contacts.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["identities"] })
 * ```
 */
export const identitiesConformance: StorageSubSuite = (storage, options) => {
  const { tx, q, txFailure } = conformanceKit(storage)
  const run = <A, E>(effect: Effect.Effect<A, E, Ports>): Promise<Exit.Exit<A, E>> =>
    Effect.runPromise(Effect.exit(Effect.provide(effect, rmcLayer({ storage: Layer.succeed(Storage, storage()) })) as Effect.Effect<A, E>))
  const ok = async <A, E>(effect: Effect.Effect<A, E, Ports>): Promise<A> => {
    const exit = await run(effect)
    if (Exit.isFailure(exit)) throw new Error(`expected a success, got ${Cause.pretty(exit.cause).slice(0, 300)}`)
    return exit.value
  }
  const errorOf = async (effect: Effect.Effect<unknown, RmcError, Ports>) => {
    const exit = await run(effect)
    return Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
  }
  const agentOf = (tenantId: string, i = 0): Principal => ({ tenantId, agentId: `agent-${i}`, role: "agent" })
  const bare = (tenantId: string, fullName = "Camille Martin"): Contact => ({
    ...one(A.contact(tenantId)),
    fullName,
    primaryPhone: null,
    phones: [],
    email: null,
    channelIdentities: [],
  })
  const found = (tenantId: string, identity: ContactIdentity) => q((r) => r.contacts.findByIdentity(tenantId, identity)).then((c) => c?.id ?? null)

  it("a contact's identities find it, in its tenant only", async () => {
    const tenantId = newTenant()
    const contact: Contact = {
      ...bare(tenantId),
      primaryPhone: "+33612345678",
      phones: ["+33712345678"],
      email: "marie@example.com",
      channelIdentities: [
        { channel: "whatsapp", handle: "+33612345678" },
        { channel: "telegram", handle: "@Marie_C" },
        { channel: "messenger", handle: "Psid-1" },
      ],
    }
    await tx((r) => r.contacts.insert(contact))
    for (const identity of identitiesOf(contact)) expect(await found(tenantId, identity)).toBe(contact.id)
    expect(await found(tenantId, { kind: "telegram", value: "marie_c" })).toBe(contact.id)
    expect(await found(tenantId, { kind: "messenger", value: "psid-1" })).toBeNull()
    expect(await found(tenantId, { kind: "phone", value: "+33612345679" })).toBeNull()
    expect(await found(newTenant(), { kind: "phone", value: "+33612345678" })).toBeNull()
    // Another tenant's contact may have the same identities.
    const elsewhere = { ...contact, id: one(A.arbitraries.id), tenantId: newTenant() }
    await tx((r) => r.contacts.insert(elsewhere))
    expect(await found(elsewhere.tenantId, { kind: "email", value: "marie@example.com" })).toBe(elsewhere.id)
    expect(await found(tenantId, { kind: "email", value: "marie@example.com" })).toBe(contact.id)
  })

  it("a write that gives a contact another's identity fails naming that contact, and writes nothing", async () => {
    const tenantId = newTenant()
    const holder: Contact = { ...bare(tenantId), email: "marie@example.com", channelIdentities: [{ channel: "sms", handle: "+33612345678" }] }
    await tx((r) => r.contacts.insert(holder))
    // The same number as a primary phone is the same identity as the SMS handle.
    const second: Contact = { ...bare(tenantId), primaryPhone: "+33612345678", email: "other@example.com" }
    const refused = await txFailure((r) => r.contacts.insert(second))
    expect(refused).toBeInstanceOf(IdentityTakenError)
    expect(refused).toMatchObject({ contactId: holder.id, identity: { kind: "phone", value: "+33612345678" } })
    expect(await q((r) => r.contacts.get(tenantId, second.id))).toBeNull()
    expect(await found(tenantId, { kind: "email", value: "other@example.com" })).toBeNull()

    const other: Contact = { ...bare(tenantId), email: "other@example.com" }
    await tx((r) => r.contacts.insert(other))
    const taking = { ...other, email: "marie@example.com", version: 2 }
    expect(await txFailure((r) => r.contacts.update(taking, other))).toMatchObject({ _tag: "IdentityTakenError", contactId: holder.id })
    expect(await q((r) => r.contacts.get(tenantId, other.id))).toEqual(other)
    expect(await found(tenantId, { kind: "email", value: "other@example.com" })).toBe(other.id)
  })

  it("an update claims what the contact gains and releases what it loses; a stale one moves nothing", async () => {
    const tenantId = newTenant()
    const first: Contact = { ...bare(tenantId), email: "a@example.com", phones: ["+33612345678"] }
    await tx((r) => r.contacts.insert(first))
    const moved: Contact = { ...first, email: "b@example.com", version: 2 }
    await tx((r) => r.contacts.update(moved, first))
    expect(await found(tenantId, { kind: "email", value: "a@example.com" })).toBeNull()
    expect(await found(tenantId, { kind: "email", value: "b@example.com" })).toBe(first.id)
    expect(await found(tenantId, { kind: "phone", value: "+33612345678" })).toBe(first.id)
    // The released address is free for another contact.
    const second: Contact = { ...bare(tenantId), email: "a@example.com" }
    await tx((r) => r.contacts.insert(second))
    expect(await found(tenantId, { kind: "email", value: "a@example.com" })).toBe(second.id)
    // A write from a stale read fails on the version before it moves any identity.
    const stale = await txFailure((r) => r.contacts.update({ ...first, email: "c@example.com", version: 2 }, first))
    expect(stale).toBeInstanceOf(VersionConflictError)
    expect(await found(tenantId, { kind: "email", value: "b@example.com" })).toBe(first.id)
    expect(await found(tenantId, { kind: "email", value: "c@example.com" })).toBeNull()
    // A write that keeps the identities (newer activity) claims nothing.
    await tx((r) => r.contacts.update({ ...moved, lastActivityAt: "2030-01-01T00:00:00.000Z", version: 3 }, moved))
    expect(await found(tenantId, { kind: "email", value: "b@example.com" })).toBe(first.id)
  })

  it("list a tenant's contacts by name prefix, A to Z by name key, one page at a time", async () => {
    const tenantId = newTenant()
    const names = ["Marie Curie", "marc Bloch", "Mártin Luther", "Maria 100%_sure", "Zoé Martin", "maria  Callas"]
    const contacts = names.map((name) => bare(tenantId, name))
    await tx((r) => Effect.forEach(contacts, (c) => r.contacts.insert(c)))
    await tx((r) => r.contacts.insert(bare(newTenant(), "Marie Other")))
    const keyed = contacts.map((c) => ({ id: c.id, key: contactNameKey(c.fullName) }))
    const expected = (prefix: string) =>
      keyed
        .filter((c) => c.key.startsWith(prefix))
        .sort(orderBy(nameOrder, (c: { readonly key: string; readonly id: string }) => ({ name: c.key, id: c.id })))
        .map((c) => c.id)
    const ids = (prefix: string) => q((r) => r.contacts.listByNamePrefix(tenantId, prefix, { limit: 100 })).then((rows) => rows.map((c) => c.id))
    expect(await ids("mar")).toEqual(expected("mar"))
    expect(await ids("mar")).toHaveLength(5)
    expect(await ids("maria ")).toEqual(expected("maria "))
    // Pattern characters are taken literally.
    expect(await ids("maria 100%")).toEqual(expected("maria 100%"))
    expect(await ids("maria 1_0")).toEqual([])
    expect(await ids("%")).toEqual([])
    // Pages after a cursor.
    const all = expected("m")
    const firstPage = await q((r) => r.contacts.listByNamePrefix(tenantId, "m", { limit: 2 }))
    expect(firstPage.map((c) => c.id)).toEqual(all.slice(0, 2))
    const last = firstPage.at(-1)!
    const next = await q((r) => r.contacts.listByNamePrefix(tenantId, "m", { limit: 10, after: { name: contactNameKey(last.fullName), id: last.id } }))
    expect(next.map((c) => c.id)).toEqual(all.slice(2))
  })

  it(
    `${contenders} inbound messages from one new handle at once give one contact`,
    async () => {
      for (const [channel, handle] of [
        ["whatsapp", "+33611223344"],
        ["telegram", "@NewUser"],
        ["email", "New.User@Example.com"],
      ] as const) {
        const tenantId = newTenant()
        const answers = await Promise.all(
          Array.from({ length: contenders }, (_, i) => ok(useCases.resolveContact(agentOf(tenantId, i), { channel, handle, fullName: `Sender ${i}` }))),
        )
        const ids = new Set(answers.map((a) => a.contact.id))
        expect(ids.size).toBe(1)
        expect(answers.filter((a) => a.created)).toHaveLength(1)
        // Found again, under another spelling of the same handle.
        const again = await ok(useCases.resolveContact(agentOf(tenantId), { channel, handle: handle.toLowerCase() }))
        expect(again).toMatchObject({ created: false, contact: { id: [...ids][0] } })
        const activity = await ok(useCases.contactActivity(agentOf(tenantId), { contactId: [...ids][0]! }))
        expect(activity.items.filter((e) => e.type === "contact.created")).toHaveLength(1)
      }
    },
    timeout,
  )

  it(
    `${contenders} writers claiming one identity at once: one gets it, the others are told who has it`,
    async () => {
      const tenantId = newTenant()
      const contacts = Array.from({ length: contenders }, (_, i) => bare(tenantId, `Writer ${i}`))
      await tx((r) => Effect.forEach(contacts, (c) => r.contacts.insert(c)))
      const exits = await Promise.all(
        contacts.map((contact) =>
          Effect.runPromise(Effect.exit(storage().transaction((r) => r.contacts.update({ ...contact, email: "shared@example.com", version: 2 }, contact)))),
        ),
      )
      const winners = contacts.filter((_, i) => Exit.isSuccess(exits[i]!))
      expect(winners).toHaveLength(1)
      for (const exit of exits) {
        if (Exit.isFailure(exit)) {
          expect(Option.getOrUndefined(Exit.findErrorOption(exit))).toMatchObject({ _tag: "IdentityTakenError", contactId: winners[0]!.id })
        }
      }
      expect(await found(tenantId, { kind: "email", value: "shared@example.com" })).toBe(winners[0]!.id)
    },
    timeout,
  )

  it(
    "identities stay unique under concurrent creations and updates (property)",
    async () => {
      const pool = ["+33611111111", "+33622222222", "+33633333333", "a@example.com", "b@example.com"]
      const fields = (picked: ReadonlyArray<number>) => {
        const values = [...new Set(picked)].map((i) => pool[i]!)
        return { phones: values.filter((v) => v.startsWith("+")), email: values.find((v) => v.includes("@")) }
      }
      const write = fc.record({ create: fc.boolean(), target: fc.nat({ max: 2 }), picked: fc.array(fc.nat({ max: pool.length - 1 }), { maxLength: 3 }) })
      await fc.assert(
        fc.asyncProperty(fc.array(write, { minLength: 2, maxLength: 8 }), async (writes) => {
          const tenantId = newTenant()
          const agent = agentOf(tenantId)
          const seeds = [] as Array<Contact>
          for (let i = 0; i < 3; i++) seeds.push(await ok(useCases.createContact(agent, { fullName: `Seed ${i}` })))
          const outcomes = await Promise.all(
            writes.map((w, i) => {
              const { phones, email } = fields(w.picked)
              return errorOf(
                w.create
                  ? useCases.createContact(agentOf(tenantId, i), { fullName: `New ${i}`, phones, ...(email === undefined ? {} : { email }) })
                  : useCases.updateContact(agentOf(tenantId, i), { contactId: seeds[w.target]!.id, phones, email: email ?? null }),
              )
            }),
          )
          for (const error of outcomes) if (error !== undefined) expect(error.code).toBe("identity_taken")
          // Every contact now: no identity held twice, and each one's identities find it.
          const everyone = await ok(useCases.findContacts(agent, { namePrefix: "new", limit: 100 }))
          const contacts = [...seeds.map((s) => s.id), ...everyone.items.map((c) => c.id)]
          const holders = new Map<string, string>()
          for (const id of new Set(contacts)) {
            const contact = (await q((r) => r.contacts.get(tenantId, id)))!
            for (const identity of identitiesOf(contact)) {
              const key = identityKey(identity)
              expect(holders.get(key), `${key} held by two contacts`).toBeUndefined()
              holders.set(key, id)
              expect(await found(tenantId, identity)).toBe(id)
            }
          }
        }),
        { numRuns: Math.max(3, Math.floor(options.numRuns / 5)) },
      )
    },
    timeout,
  )
}
