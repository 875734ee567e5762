import { describe, expect, it } from "vitest"
import { contactWithConversation, fixture } from "./fixture"

const tier = { key: "customer_tier", label: "Customer tier", type: "enum" as const, target: "contact" as const, options: ["Gold", "Silver"] }

describe("custom attributes", () => {
  it("are defined by admins, listed by key, updated and archived, each change in the tenant's activity", async () => {
    const f = fixture()
    await expect(f.sam.defineAttribute(tier)).rejects.toMatchObject({ code: "forbidden" })
    const defined = await f.root.defineAttribute(tier)
    expect(defined).toMatchObject({ key: "customer_tier", type: "enum", options: ["Gold", "Silver"], required: false, archivedAt: null, version: 1 })
    await expect(f.root.defineAttribute({ ...tier, label: "Again", target: "conversation" })).rejects.toMatchObject({
      code: "name_taken",
      entity: "attribute",
      name: "customer_tier",
    })
    await expect(f.root.defineAttribute({ key: "seats", label: "Seats", type: "number", target: "contact", options: ["1"] })).rejects.toMatchObject({
      code: "validation_failed",
      issues: [{ path: ["options"] }],
    })
    await expect(f.root.defineAttribute({ key: "size", label: "Size", type: "enum", target: "contact" })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.root.defineAttribute({ ...tier, key: "twice", options: ["Gold", "gold"] })).rejects.toMatchObject({ code: "validation_failed" })
    await expect(f.root.defineAttribute({ ...tier, key: "Not-A-Key" })).rejects.toMatchObject({ code: "validation_failed" })
    const seats = await f.root.defineAttribute({ key: "seats", label: "Seats", type: "number", target: "conversation" })

    const updated = await f.root.updateAttribute({ attributeId: defined.id, label: "Tier", addOptions: ["Platinum", "gold"], expectedVersion: 1 })
    expect(updated).toMatchObject({ label: "Tier", options: ["Gold", "Silver", "Platinum"], version: 2 })
    await expect(f.root.updateAttribute({ attributeId: defined.id, required: true, expectedVersion: 1 })).rejects.toMatchObject({ code: "version_conflict" })
    await expect(f.root.updateAttribute({ attributeId: seats.id, addOptions: ["x"] })).rejects.toMatchObject({ code: "validation_failed" })

    const first = await f.alice.listAttributes({ limit: 1 })
    expect(first.items.map((d) => d.key)).toEqual(["customer_tier"])
    const second = await f.alice.listAttributes({ limit: 1, cursor: first.nextCursor! })
    expect(second).toMatchObject({ items: [{ key: "seats" }], nextCursor: null })
    expect((await f.alice.listAttributes({ target: "conversation" })).items.map((d) => d.key)).toEqual(["seats"])

    const archived = await f.root.archiveAttribute({ attributeId: seats.id })
    expect(archived.archivedAt).not.toBeNull()
    expect(await f.root.archiveAttribute({ attributeId: seats.id })).toEqual(archived)
    expect((await f.alice.listAttributes({})).items.map((d) => d.key)).toEqual(["customer_tier"])
    expect((await f.alice.listAttributes({ includeArchived: true })).items.map((d) => d.key)).toEqual(["customer_tier", "seats"])
    await expect(f.root.updateAttribute({ attributeId: seats.id, label: "Old" })).rejects.toMatchObject({ code: "archived" })
    expect(await f.alice.getAttribute({ attributeId: seats.id })).toEqual(archived)
    await expect(f.eve.getAttribute({ attributeId: seats.id })).rejects.toMatchObject({ code: "not_found" })

    const activity = await f.sam.tenantActivity({})
    expect(activity.items.map((e) => e.type)).toEqual(["attribute.archived", "attribute.updated", "attribute.defined", "attribute.defined"])
    expect(activity.items[1]).toMatchObject({ before: { label: "Customer tier", options: ["Gold", "Silver"] }, after: { label: "Tier" } })
  })

  it("take values checked against their definitions and normalised, with typed errors and nothing half-written", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    await f.root.defineAttribute(tier)
    await f.root.defineAttribute({ key: "mobile", label: "Mobile", type: "phone", target: "contact" })
    await f.root.defineAttribute({ key: "billing_email", label: "Billing e-mail", type: "email", target: "contact" })
    await f.root.defineAttribute({ key: "renewal", label: "Renewal", type: "date", target: "contact" })
    await f.root.defineAttribute({ key: "site", label: "Site", type: "url", target: "contact" })
    await f.root.defineAttribute({ key: "vip", label: "VIP", type: "boolean", target: "contact" })
    await f.root.defineAttribute({ key: "seats", label: "Seats", type: "number", target: "conversation" })
    const subject = { kind: "contact", id: contact.id } as const
    const { version } = await f.alice.getContact({ contactId: contact.id })

    const set = await f.alice.setAttributes({
      subject,
      values: {
        customer_tier: "gold",
        mobile: "06 12 34 56 78",
        billing_email: "Billing@Example.COM",
        renewal: "2027-02-28",
        site: "HTTPS://Example.com",
        vip: true,
      },
      expectedVersion: version,
    })
    expect(set).toEqual({
      subject,
      values: {
        billing_email: "billing@example.com",
        customer_tier: "Gold",
        mobile: "+33612345678",
        renewal: "2027-02-28",
        site: "https://example.com/",
        vip: true,
      },
      version: version + 1,
    })
    expect((await f.alice.getContact({ contactId: contact.id })).version).toBe(version + 1)
    expect(await f.alice.getAttributes({ subject })).toEqual(set)

    const refused = [
      [{ nope: "x" }, { code: "attribute_invalid", key: "nope", reason: "unknown_key" }],
      [{ seats: 3 }, { code: "attribute_invalid", key: "seats", reason: "wrong_target" }],
      [{ renewal: "2027-02-30" }, { code: "attribute_invalid", key: "renewal", reason: "wrong_type" }],
      [{ vip: "yes" }, { code: "attribute_invalid", key: "vip", reason: "wrong_type" }],
      [{ customer_tier: "Bronze" }, { code: "attribute_invalid", key: "customer_tier", reason: "wrong_type" }],
      [{ site: "ftp://example.com" }, { code: "attribute_invalid", key: "site", reason: "wrong_type" }],
      [{ mobile: "12" }, { code: "attribute_invalid", key: "mobile", reason: "wrong_type" }],
      // The first value is valid: nothing of the command is written when another one is refused.
      [
        { customer_tier: "Silver", billing_email: "not an e-mail" },
        { code: "attribute_invalid", key: "billing_email", reason: "wrong_type" },
      ],
    ] as const
    for (const [values, error] of refused) await expect(f.alice.setAttributes({ subject, values }), JSON.stringify(values)).rejects.toMatchObject(error)
    expect(await f.alice.getAttributes({ subject })).toEqual(set)
    await expect(f.alice.setAttributes({ subject, values: { vip: false }, expectedVersion: version })).rejects.toMatchObject({ code: "version_conflict" })
    await expect(f.eve.setAttributes({ subject, values: { vip: false } })).rejects.toMatchObject({ code: "not_found" })

    // Setting what is there changes nothing; clearing removes the value.
    expect(await f.alice.setAttributes({ subject, values: { vip: true } })).toEqual(set)
    const cleared = await f.alice.setAttributes({ subject, values: { vip: null, site: null } })
    expect(cleared.values).not.toHaveProperty("vip")
    expect(cleared.version).toBe(version + 2)

    const onConversation = await f.bob.setAttributes({ subject: { kind: "conversation", id: conversation.id }, values: { seats: 12 } })
    expect(onConversation).toMatchObject({ values: { seats: 12 }, version: conversation.version + 1 })

    const events = await f.alice.contactActivity({ contactId: contact.id })
    // The contact's timeline shows its conversations' changes too: the conversation's comes first.
    expect(events.items[1]).toMatchObject({
      type: "contact.attributes_changed",
      before: { site: "https://example.com/", vip: true },
      after: { site: null, vip: null },
    })
    const conversationEvents = await f.alice.conversationActivity({ conversationId: conversation.id })
    expect(conversationEvents.items[0]).toMatchObject({
      type: "conversation.attributes_changed",
      contactId: contact.id,
      before: { seats: null },
      after: { seats: 12 },
    })
    // Years below 100 are years like any other; -0 is 0.
    expect((await f.alice.setAttributes({ subject, values: { renewal: "0050-03-01" } })).values.renewal).toBe("0050-03-01")
    await f.alice.setAttributes({ subject, values: { renewal: "2027-02-28" } })
    expect(Object.is((await f.bob.setAttributes({ subject: { kind: "conversation", id: conversation.id }, values: { seats: -0 } })).values.seats, 0)).toBe(true)
    await f.bob.setAttributes({ subject: { kind: "conversation", id: conversation.id }, values: { seats: null } })
  })

  it("enforce required attributes on every change of a record's values, and archived ones refuse changes but keep their values", async () => {
    const f = fixture()
    const { contact } = await contactWithConversation(f)
    const subject = { kind: "contact", id: contact.id } as const
    const tierDefinition = await f.root.defineAttribute(tier)
    await f.root.defineAttribute({ key: "store", label: "Store", type: "text", target: "contact" })
    await f.alice.setAttributes({ subject, values: { store: "Lyon" } })
    await f.root.updateAttribute({ attributeId: tierDefinition.id, required: true })
    await expect(f.alice.setAttributes({ subject, values: { store: "Paris" } })).rejects.toMatchObject({
      code: "attribute_invalid",
      key: "customer_tier",
      reason: "required",
    })
    await f.alice.setAttributes({ subject, values: { store: "Paris", customer_tier: "Silver" } })
    await expect(f.alice.setAttributes({ subject, values: { customer_tier: null } })).rejects.toMatchObject({ reason: "required" })

    await f.root.archiveAttribute({ attributeId: tierDefinition.id })
    await expect(f.alice.setAttributes({ subject, values: { customer_tier: "Gold" } })).rejects.toMatchObject({ code: "archived", entity: "attribute" })
    // No longer required once archived; its value stays.
    expect((await f.alice.setAttributes({ subject, values: { store: null } })).values).toEqual({ customer_tier: "Silver" })
  })

  it("appear in the details panel and filter conversation searches", async () => {
    const f = fixture()
    const { contact, conversation } = await contactWithConversation(f)
    const other = await f.alice.createContact({ fullName: "Lotte Peeters" })
    const otherConversation = await f.alice.openConversation({ contactId: other.id, channel: "sms" })
    await f.root.defineAttribute(tier)
    await f.root.defineAttribute({ key: "seats", label: "Seats", type: "number", target: "conversation" })
    await f.root.defineAttribute({ key: "renewal", label: "Renewal", type: "date", target: "contact" })
    await f.root.defineAttribute({ key: "note", label: "Note", type: "text", target: "contact" })
    await f.alice.setAttributes({ subject: { kind: "contact", id: contact.id }, values: { customer_tier: "Gold", renewal: "2027-01-15" } })
    await f.alice.setAttributes({ subject: { kind: "contact", id: other.id }, values: { customer_tier: "Silver", renewal: "2027-06-01" } })
    await f.alice.setAttributes({ subject: { kind: "conversation", id: conversation.id }, values: { seats: 12 } })
    await f.alice.setAttributes({ subject: { kind: "conversation", id: otherConversation.id }, values: { seats: 3.5 } })

    const details = await f.alice.getDetails({ conversationId: conversation.id })
    expect(details.attributes).toEqual({ contact: { customer_tier: "Gold", renewal: "2027-01-15" }, conversation: { seats: 12 } })

    const search = async (attributes: ReadonlyArray<Record<string, unknown>>) =>
      (await f.alice.searchConversations({ filter: { attributes: attributes as never } })).items.map((c) => c.id).sort()
    const both = [conversation.id, otherConversation.id].sort()
    expect(await search([{ key: "customer_tier", equals: "gold" }])).toEqual([conversation.id])
    expect(await search([{ key: "customer_tier", in: ["Gold", "Silver"] }])).toEqual(both)
    expect(await search([{ key: "seats", min: 4 }])).toEqual([conversation.id])
    expect(await search([{ key: "seats", min: 3.5, max: 12 }])).toEqual(both)
    expect(await search([{ key: "renewal", max: "2027-03-01" }])).toEqual([conversation.id])
    expect(await search([{ key: "seats", exists: true }])).toEqual(both)
    expect(await search([{ key: "note", exists: false }])).toEqual(both)
    expect(await search([{ key: "note", exists: true }])).toEqual([])
    expect(
      await search([
        { key: "customer_tier", equals: "Silver" },
        { key: "seats", max: 5 },
      ]),
    ).toEqual([otherConversation.id])
    await expect(search([{ key: "nope", exists: true }])).rejects.toMatchObject({ code: "attribute_invalid", reason: "unknown_key" })
    await expect(search([{ key: "customer_tier", min: 1 }])).rejects.toMatchObject({ code: "attribute_invalid", reason: "wrong_type" })
    await expect(search([{ key: "seats", equals: "twelve" }])).rejects.toMatchObject({ code: "attribute_invalid", reason: "wrong_type" })
    const volumes = (attributeKey: string) =>
      f.sam.volumeReport({ dimension: "attribute", attributeKey, from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" })
    expect(await volumes("customer_tier")).toEqual([
      { key: "Gold", name: "Gold", count: 1 },
      { key: "Silver", name: "Silver", count: 1 },
    ])
    await expect(volumes("seats")).rejects.toMatchObject({ code: "attribute_invalid", reason: "wrong_type" })
    await expect(volumes("nope")).rejects.toMatchObject({ code: "attribute_invalid", reason: "unknown_key" })
    await expect(
      f.sam.volumeReport({ dimension: "channel", attributeKey: "customer_tier", from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" }),
    ).rejects.toMatchObject({
      code: "validation_failed",
    })
    // Another tenant's attributes are not the caller's.
    await expect(f.eve.searchConversations({ filter: { attributes: [{ key: "seats", exists: true }] } })).rejects.toMatchObject({
      reason: "unknown_key",
    })
  })
})
