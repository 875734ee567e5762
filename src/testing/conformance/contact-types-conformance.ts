import { Effect, Exit, Layer, Option } from "effect"
import { expect, it } from "vitest"
import { ContactTypeInUseError } from "../../domain/shared/errors"
import type { Principal } from "../../domain/shared/principal"
import { rmcLayer } from "../../facade/rmc-layer"
import { Storage } from "../../ports/storage"
import { useCases } from "../../use-cases"
import * as A from "../arbitraries/entities"
import { conformanceKit, newTenant, one } from "./conformance-kit"
import type { StorageSubSuite } from "./storage-sub-suite"
import { useCaseRunner } from "./use-case-runner"

/**
 * The `contactTypes` sub-suite of the storage conformance suite. Contact types stay consistent with
 * the tenant's catalog: counting and replacing a type on the tenant's contacts only, settings read
 * under a lock, and `configureTenant` refusing to remove a type in use unless it names a replacement,
 * also while agents create contacts of that type at the same time.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "rmc-details"
 * import { describeStorageConformance } from "rmc-details/testing"
 * describeStorageConformance("memory", memoryStorage(), { only: ["contactTypes"] })
 * ```
 */
export const contactTypesConformance: StorageSubSuite = (storage) => {
  const { tx, q } = conformanceKit(storage)
  const { run, ok, errorOf } = useCaseRunner(() => rmcLayer({ storage: Layer.succeed(Storage, storage()) }))
  const principals = (tenantId: string) => ({
    agent: { tenantId, agentId: "alice", role: "agent" } satisfies Principal,
    admin: { tenantId, agentId: "root", role: "admin" } satisfies Principal,
  })

  it("count the tenant's contacts of each type, and replace a type on them only", async () => {
    const tenantId = newTenant()
    const other = newTenant()
    const contact = (tenant: string, type: string) => ({ ...one(A.contact(tenant)), type })
    const leads = [contact(tenantId, "Lead"), contact(tenantId, "Lead"), contact(tenantId, "Lead")]
    const client = contact(tenantId, "Client")
    const elsewhere = contact(other, "Lead")
    await tx((r) => Effect.forEach([...leads, client, elsewhere], (c) => r.contacts.insert(c)))
    expect(await q((r) => r.contacts.countByType(tenantId, ["Lead", "Client", "User"]))).toEqual([
      { type: "Lead", contacts: 3 },
      { type: "Client", contacts: 1 },
    ])
    expect(await q((r) => r.contacts.countByType(tenantId, []))).toEqual([])
    expect(await tx((r) => r.contacts.replaceType(tenantId, "Lead", "Prospect"))).toBe(3)
    for (const lead of leads) expect(await q((r) => r.contacts.get(tenantId, lead.id))).toEqual({ ...lead, type: "Prospect", version: lead.version + 1 })
    expect(await q((r) => r.contacts.get(tenantId, client.id))).toEqual(client)
    expect(await q((r) => r.contacts.get(other, elsewhere.id))).toEqual(elsewhere)
    expect(await q((r) => r.contacts.countByType(tenantId, ["Lead", "Prospect"]))).toEqual([{ type: "Prospect", contacts: 3 }])
    expect(await tx((r) => r.contacts.replaceType(tenantId, "Lead", "Client"))).toBe(0)
  })

  it("read the settings under a lock as a plain read would", async () => {
    const tenantId = newTenant()
    expect(await tx((r) => r.settings.getLocked(tenantId, "share"))).toBeNull()
    const settings = { ...one(A.tenantSettings(tenantId)), version: 1 }
    await tx((r) => r.settings.put(settings))
    expect(await tx((r) => r.settings.getLocked(tenantId, "share"))).toEqual(settings)
    expect(await tx((r) => r.settings.getLocked(tenantId, "update"))).toEqual(settings)
  })

  it("refuse to remove a type that contacts have, naming how many, and move them to a named replacement", async () => {
    const { agent, admin } = principals(newTenant())
    await ok(useCases.configureTenant(admin, { contactTypes: ["User", "Lead", "Client"], transitions: [{ from: "Lead", to: "Client" }] }))
    const leads = [
      await ok(useCases.createContact(agent, { fullName: "Lea", type: "Lead" })),
      await ok(useCases.createContact(agent, { fullName: "Luc", type: "Lead" })),
    ]
    const user = await ok(useCases.createContact(agent, { fullName: "Ugo", type: "User" }))
    const before = await ok(useCases.getSettings(agent, {}))

    const refused = await errorOf(useCases.configureTenant(admin, { contactTypes: ["Client"], transitions: [] }))
    expect(refused).toBeInstanceOf(ContactTypeInUseError)
    expect((refused as ContactTypeInUseError).inUse).toEqual([
      { type: "User", contacts: 1 },
      { type: "Lead", contacts: 2 },
    ])
    // Nothing was written: the catalog and the contacts are as they were.
    expect(await ok(useCases.getSettings(agent, {}))).toEqual(before)
    expect((await ok(useCases.getContact(agent, { contactId: leads[0]!.id }))).type).toBe("Lead")

    // A replacement for only one of the two types in use is still refused, for the other one.
    const partly = await errorOf(useCases.configureTenant(admin, { contactTypes: ["Client"], transitions: [], replaceContactTypes: { Lead: "Client" } }))
    expect((partly as ContactTypeInUseError).inUse).toEqual([{ type: "User", contacts: 1 }])
    // A replacement to a type outside the new catalog, or of a type that stays, is invalid input.
    expect(
      (await errorOf(useCases.configureTenant(admin, { contactTypes: ["Client"], transitions: [], replaceContactTypes: { Lead: "Client", User: "Lead" } })))
        ?.code,
    ).toBe("validation_failed")
    expect(
      (
        await errorOf(
          useCases.configureTenant(admin, { contactTypes: ["User", "Client"], transitions: [], replaceContactTypes: { User: "Client", Lead: "Client" } }),
        )
      )?.code,
    ).toBe("validation_failed")

    const next = await ok(
      useCases.configureTenant(admin, { contactTypes: ["Client", "Partner"], transitions: [], replaceContactTypes: { Lead: "Client", User: "Partner" } }),
    )
    expect(next.contactTypes).toEqual(["Client", "Partner"])
    for (const lead of leads) {
      const moved = await ok(useCases.getContact(agent, { contactId: lead.id }))
      expect({ type: moved.type, version: moved.version }).toEqual({ type: "Client", version: lead.version + 1 })
    }
    expect((await ok(useCases.getContact(agent, { contactId: user.id }))).type).toBe("Partner")
    const [event] = (await ok(useCases.tenantActivity(admin, { limit: 1 }))).items
    expect(event?.type).toBe("tenant.configured")
    expect(event?.after).toMatchObject({
      contactTypesReplaced: [
        { from: "User", to: "Partner", contacts: 1 },
        { from: "Lead", to: "Client", contacts: 2 },
      ],
    })
    // Removing a type no contact has needs no replacement.
    expect(
      (await ok(useCases.configureTenant(admin, { contactTypes: ["Client"], transitions: [], replaceContactTypes: { Partner: "Client" } }))).contactTypes,
    ).toEqual(["Client"])
    expect((await ok(useCases.configureTenant(admin, { contactTypes: ["Client", "Vip"] }))).contactTypes).toEqual(["Client", "Vip"])
    expect((await ok(useCases.configureTenant(admin, { contactTypes: ["Client"] }))).contactTypes).toEqual(["Client"])
  })

  it("never leave a contact with a removed type when agents create contacts of it during the change", async () => {
    for (let round = 0; round < 3; round++) {
      const { agent, admin } = principals(newTenant())
      await ok(useCases.configureTenant(admin, { contactTypes: ["Lead", "Client"], transitions: [] }))
      await ok(useCases.createContact(agent, { fullName: "First lead", type: "Lead" }))
      const creations = Array.from({ length: 8 }, (_, i) => run(useCases.createContact(agent, { fullName: `Lead ${i}`, type: "Lead" })))
      const change = run(useCases.configureTenant(admin, { contactTypes: ["Client"], transitions: [], replaceContactTypes: { Lead: "Client" } }))
      const [changed, ...created] = await Promise.all([change, ...creations])
      expect(Exit.isSuccess(changed!)).toBe(true)
      // A creation either came first (and was moved) or came after and was refused: no Lead is left.
      for (const exit of created) {
        if (Exit.isFailure(exit)) expect(Option.getOrUndefined(Exit.findErrorOption(exit))).toMatchObject({ code: "validation_failed" })
      }
      expect(await q((r) => r.contacts.countByType(agent.tenantId, ["Lead"]))).toEqual([])
    }
  }, 60_000)
}
