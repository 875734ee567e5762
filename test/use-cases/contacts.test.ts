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

  it("refuse a username handle that names no one (a lone @), wherever a handle is given", async () => {
    const f = fixture()
    for (const channel of ["telegram", "instagram"] as const) {
      await expect(f.alice.createContact({ fullName: "X", channelIdentities: [{ channel, handle: "@" }] })).rejects.toMatchObject({
        code: "validation_failed",
        issues: [{ path: ["channelIdentities", 0, "handle"] }],
      })
      await expect(f.alice.findContacts({ channel, handle: "@" })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: ["handle"] }] })
      await expect(f.alice.resolveContact({ channel, handle: "@" })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: ["handle"] }] })
    }
    const contact = await f.alice.createContact({ fullName: "X" })
    await expect(f.alice.updateContact({ contactId: contact.id, channelIdentities: [{ channel: "telegram", handle: "@" }] })).rejects.toMatchObject({
      code: "validation_failed",
    })
    // Nothing was created by the refusals: the only contact is the one made above.
    expect((await f.alice.findContacts({ namePrefix: "x" })).items.map((c) => c.id)).toEqual([contact.id])
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

  it("never share a phone number, an e-mail address or a channel handle within a tenant", async () => {
    const f = fixture()
    const marie = await f.alice.createContact({
      fullName: "Marie Curie",
      primaryPhone: "06 12 34 56 78",
      email: "Marie@Example.com",
      channelIdentities: [{ channel: "telegram", handle: "@MarieC" }],
      idempotencyKey: "marie",
    })
    // The same number as a WhatsApp handle, written another way, is the same identity.
    await expect(
      f.bob.createContact({ fullName: "Marie C.", channelIdentities: [{ channel: "whatsapp", handle: "+33 6 12 34 56 78" }] }),
    ).rejects.toMatchObject({ code: "identity_taken", contactId: marie.id, identity: { kind: "phone", value: "+33612345678" } })
    await expect(f.bob.createContact({ fullName: "Marie C.", email: "marie@example.COM" })).rejects.toMatchObject({
      code: "identity_taken",
      contactId: marie.id,
      identity: { kind: "email", value: "marie@example.com" },
    })
    await expect(f.bob.createContact({ fullName: "Marie C.", channelIdentities: [{ channel: "telegram", handle: "mariec" }] })).rejects.toMatchObject({
      code: "identity_taken",
      identity: { kind: "telegram", value: "mariec" },
    })
    // A retry of the first creation still answers the first answer.
    expect(
      await f.alice.createContact({
        fullName: "Marie Curie",
        primaryPhone: "06 12 34 56 78",
        email: "Marie@Example.com",
        channelIdentities: [{ channel: "telegram", handle: "@MarieC" }],
        idempotencyKey: "marie",
      }),
    ).toEqual(marie)
    // An update that takes another's identity is refused, and changes nothing.
    const pierre = await f.bob.createContact({ fullName: "Pierre Curie", primaryPhone: "07 81 23 45 67" })
    await expect(f.bob.updateContact({ contactId: pierre.id, phones: ["0612345678"] })).rejects.toMatchObject({ code: "identity_taken", contactId: marie.id })
    expect(await f.bob.getContact({ contactId: pierre.id })).toEqual(pierre)
    // Once released, a number is free for another contact; another tenant is never concerned.
    await f.alice.updateContact({ contactId: marie.id, primaryPhone: null })
    expect((await f.bob.updateContact({ contactId: pierre.id, phones: ["0612345678"] })).phones).toEqual(["+33612345678"])
    expect((await f.eve.createContact({ fullName: "Marie Curie", primaryPhone: "+33781234567", email: "marie@example.com" })).tenantId).toBe("globex")
  })

  it("are found by phone, e-mail or channel handle, as they were normalised", async () => {
    const f = fixture()
    const marie = await f.alice.createContact({
      fullName: "Marie Curie",
      primaryPhone: "06 12 34 56 78",
      email: "marie@example.com",
      channelIdentities: [
        { channel: "messenger", handle: "PSID-42" },
        { channel: "instagram", handle: "@Marie.Curie" },
      ],
    })
    const only = { items: [marie], nextCursor: null }
    const none = { items: [], nextCursor: null }
    expect(await f.bob.findContacts({ phone: "+33 6 12 34 56 78" })).toEqual(only)
    expect(await f.bob.findContacts({ phone: "06.12.34.56.78" })).toEqual(only)
    expect(await f.bob.findContacts({ email: "MARIE@example.com" })).toEqual(only)
    expect(await f.bob.findContacts({ channel: "whatsapp", handle: "0612345678" })).toEqual(only)
    expect(await f.bob.findContacts({ channel: "email", handle: "Marie@Example.com" })).toEqual(only)
    expect(await f.bob.findContacts({ channel: "instagram", handle: "marie.curie" })).toEqual(only)
    expect(await f.bob.findContacts({ channel: "messenger", handle: "PSID-42" })).toEqual(only)
    expect(await f.bob.findContacts({ channel: "messenger", handle: "psid-42" })).toEqual(none)
    expect(await f.bob.findContacts({ phone: "07 81 23 45 67" })).toEqual(none)
    expect(await f.eve.findContacts({ phone: "06 12 34 56 78" })).toEqual(none)
  })

  it("are listed by name prefix for a picker, ignoring case and accents, one page at a time", async () => {
    const f = fixture()
    for (const fullName of ["Éloïse Durand", "eloi Martin", "Élodie Petit", "Camille Martin", "ELOI  Bernard"]) await f.alice.createContact({ fullName })
    await f.eve.createContact({ fullName: "Eloi Elsewhere" })
    const first = await f.bob.findContacts({ namePrefix: "ÉLO", limit: 2 })
    expect(first.items.map((c) => c.fullName)).toEqual(["Élodie Petit", "ELOI  Bernard"])
    expect(first.nextCursor).not.toBeNull()
    const rest = await f.bob.findContacts({ namePrefix: "ÉLO", limit: 2, cursor: first.nextCursor! })
    expect(rest.items.map((c) => c.fullName)).toEqual(["eloi Martin", "Éloïse Durand"])
    expect(rest.nextCursor).toBeNull()
    expect((await f.bob.findContacts({ namePrefix: "eloi m" })).items.map((c) => c.fullName)).toEqual(["eloi Martin"])
  })

  it("are looked up by exactly one criterion", async () => {
    const f = fixture()
    for (const input of [
      {},
      { phone: "0612345678", email: "a@example.com" },
      { channel: "whatsapp" },
      { handle: "x" },
      { namePrefix: "a", channel: "sms", handle: "1" },
    ]) {
      await expect(f.bob.findContacts(input as never)).rejects.toMatchObject({ code: "validation_failed" })
    }
    await expect(f.bob.findContacts({ phone: "hello" })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: ["phone"] }] })
    // An identity finds one contact at most: it has no next page to ask for.
    await expect(f.bob.findContacts({ email: "a@example.com", cursor: "abc" })).rejects.toMatchObject({
      code: "validation_failed",
      issues: [{ path: ["cursor"] }],
    })
  })

  it("are resolved from an inbound message: found when known, created once when new", async () => {
    const f = fixture()
    const known = await f.alice.createContact({ fullName: "Marie Curie", primaryPhone: "06 12 34 56 78" })
    expect(await f.bob.resolveContact({ channel: "whatsapp", handle: "+33612345678", fullName: "Someone" })).toEqual({ contact: known, created: false })
    const fresh = await f.bob.resolveContact({ channel: "email", handle: "New@Example.com" })
    expect(fresh).toMatchObject({
      created: true,
      contact: { fullName: "new@example.com", type: "User", email: "new@example.com", channelIdentities: [{ channel: "email", handle: "new@example.com" }] },
    })
    expect(await f.bob.resolveContact({ channel: "email", handle: "new@example.com" })).toEqual({ contact: fresh.contact, created: false })
    expect((await f.alice.contactActivity({ contactId: fresh.contact.id })).items.map((e) => e.type)).toEqual(["contact.created"])
    const named = await f.bob.resolveContact({ channel: "telegram", handle: "@lotte", fullName: "Lotte Peeters", type: "User" })
    expect(named.contact).toMatchObject({ fullName: "Lotte Peeters", channelIdentities: [{ channel: "telegram", handle: "@lotte" }] })
    // An e-mail handle that is not an address stays a handle.
    expect((await f.bob.resolveContact({ channel: "email", handle: "mailbox-7" })).contact).toMatchObject({ email: null, fullName: "mailbox-7" })
    await expect(f.bob.resolveContact({ channel: "sms", handle: "not a number" })).rejects.toMatchObject({
      code: "validation_failed",
      issues: [{ path: ["handle"] }],
    })
    await expect(f.bob.resolveContact({ channel: "sms", handle: "0781234567", type: "Alien" })).rejects.toMatchObject({ code: "validation_failed" })
  })
})
