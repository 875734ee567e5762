import { describe, expect, it } from "vitest"
import { fixture } from "./fixture"

describe("contacts", () => {
  it("are created with phone numbers normalised with the tenant's region", async () => {
    const f = fixture()
    const contact = await f.alice.createContact({
      fullName: "Camille Martin",
      primaryPhone: "06 12 34 56 78",
      phones: ["+44 20 7946 0958", "06.12.34.56.78"],
      channelIdentities: [
        { channel: "whatsapp", handle: "06 12 34 56 78" },
        { channel: "email", handle: "Camille@Example.com" },
      ],
    })
    expect(contact).toMatchObject({ type: "User", primaryPhone: "+33612345678", phones: ["+442079460958"], version: 1 })
    expect(contact.channelIdentities).toEqual([
      { channel: "whatsapp", handle: "+33612345678" },
      { channel: "email", handle: "camille@example.com" },
    ])
    expect(await f.alice.getContact({ contactId: contact.id })).toEqual(contact)

    await f.root.configureTenant({ defaultRegion: "BE" })
    const belgian = await f.alice.createContact({ fullName: "Lotte Peeters", primaryPhone: "0470 12 34 56" })
    expect(belgian.primaryPhone).toBe("+32470123456")
  })

  it("refuse invalid input with a typed error that says where", async () => {
    const f = fixture()
    await expect(f.alice.createContact({ fullName: "X", primaryPhone: "not a phone" })).rejects.toMatchObject({
      code: "validation_failed",
      issues: [{ path: ["primaryPhone"] }],
    })
    await expect(f.alice.createContact({ fullName: "" })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.alice.createContact({ fullName: "X", type: "Alien" })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.alice.getContact({ contactId: "nope" })).rejects.toMatchObject({ code: "validation_failed" })
  })

  it("are updated with optimistic concurrency: a stale version is refused, never silently lost", async () => {
    const f = fixture()
    const contact = await f.alice.createContact({ fullName: "Camille Martin" })
    const updated = await f.alice.updateContact({ contactId: contact.id, email: "camille@example.com", expectedVersion: 1 })
    expect(updated).toMatchObject({ email: "camille@example.com", version: 2 })
    await expect(f.bob.updateContact({ contactId: contact.id, fullName: "C. Martin", expectedVersion: 1 })).rejects.toMatchObject({
      code: "version_conflict",
      expected: 1,
      actual: 2,
    })
    expect(await f.alice.getContact({ contactId: contact.id })).toMatchObject({ fullName: "Camille Martin", email: "camille@example.com" })
    expect(await f.alice.updateContact({ contactId: contact.id, email: null })).toMatchObject({ email: null, version: 3 })
  })

  it("are created once per idempotency key", async () => {
    const f = fixture()
    const first = await f.alice.createContact({ fullName: "Camille Martin", idempotencyKey: "c-1" })
    const again = await f.alice.createContact({ fullName: "Camille Martin", idempotencyKey: "c-1" })
    expect(again).toEqual(first)
    await expect(f.alice.createContact({ fullName: "Someone else", idempotencyKey: "c-1" })).rejects.toMatchObject({ code: "idempotency_conflict" })
    // the key belongs to the tenant: another tenant can use the same one
    expect((await f.eve.createContact({ fullName: "Camille Martin", idempotencyKey: "c-1" })).id).not.toBe(first.id)
  })

  it("are transformed along the tenant's transitions, with the reason in the activity log", async () => {
    const f = fixture()
    const lead = await f.alice.createContact({ fullName: "Camille Martin", type: "Lead" })
    const client = await f.alice.transformContact({ contactId: lead.id, to: "Client", reason: "Signed the contract" })
    expect(client).toMatchObject({ type: "Client", version: 2 })
    await expect(f.alice.transformContact({ contactId: lead.id, to: "Lead" })).rejects.toMatchObject({
      code: "invalid_transition",
      from: "Client",
      to: "Lead",
    })
    const activity = await f.alice.contactActivity({ contactId: lead.id })
    expect(activity.items[0]).toMatchObject({
      type: "contact.type_changed",
      actorId: "alice",
      before: { type: "Lead" },
      after: { type: "Client", reason: "Signed the contract" },
    })
  })

  it("follow the tenant's own contact types and transitions", async () => {
    const f = fixture()
    await expect(f.sam.configureTenant({ contactTypes: ["Lead", "Client"] })).rejects.toMatchObject({ code: "forbidden" })
    const settings = await f.root.configureTenant({
      contactTypes: ["Lead", "Client", "Partner"],
      transitions: [{ from: "Client", to: "Partner" }],
    })
    expect(settings.version).toBe(1)
    expect(await f.alice.getSettings({})).toEqual(settings)
    expect((await f.eve.getSettings({})).contactTypes).toEqual(["User", "Lead", "Prospect", "Client"])
    const client = await f.alice.createContact({ fullName: "Acme SARL", type: "Client" })
    expect((await f.alice.transformContact({ contactId: client.id, to: "Partner" })).type).toBe("Partner")
    await expect(f.root.configureTenant({ transitions: [{ from: "Client", to: "Ghost" }] })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.root.configureTenant({ defaultRegion: "DE", expectedVersion: 0 })).rejects.toMatchObject({ code: "version_conflict" })
  })
})
