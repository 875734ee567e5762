import { describe, expect, it } from "vitest"
import type { Contact } from "../../src/domain/contact/contact"
import type { ContactMerge } from "../../src/domain/merge/contact-merge"
import { mergeConflicts } from "../../src/domain/merge/merge-preview"
import { contactTombstone, mergedContact } from "../../src/domain/merge/merged-contact"
import { restoredSecondary, unmergedAttributes, unmergedPrimary } from "../../src/domain/merge/unmerged-contacts"

const contact = (id: string, fields: Partial<Contact>): Contact => ({
  id,
  tenantId: "acme",
  fullName: "Marie Curie",
  type: "Lead",
  primaryPhone: null,
  phones: [],
  email: null,
  channelIdentities: [],
  createdAt: "2026-01-01T09:00:00.000Z",
  lastActivityAt: "2026-01-01T09:00:00.000Z",
  erasedAt: null,
  mergedInto: null,
  mergedAt: null,
  version: 3,
  ...fields,
})

const primary = contact("0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c11", {
  fullName: "Marie Curie",
  type: "Client",
  primaryPhone: "+33612000001",
  phones: ["+33612000004"],
  email: "marie@example.com",
})
const secondary = contact("0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c12", {
  fullName: "M. Curie",
  primaryPhone: "+33612000002",
  phones: ["+33612000003"],
  email: "curie@example.com",
  channelIdentities: [{ channel: "telegram", handle: "@curie" }],
  lastActivityAt: "2026-02-01T09:00:00.000Z",
})
const at = "2026-03-01T09:00:00.000Z"

const mergeOf = (choose: Record<string, "primary" | "secondary">, attributes = { primary: { tier: "Gold" }, secondary: { tier: "Silver", seats: 3 } }) => {
  const after = mergedContact({ contact: primary, attributes: attributes.primary }, { contact: secondary, attributes: attributes.secondary }, choose)
  const merge: ContactMerge = {
    id: "0193a4f2-5d1c-7c3e-9a41-2f5b8d9e0c13",
    tenantId: "acme",
    primaryId: primary.id,
    secondaryId: secondary.id,
    mergedAt: at,
    mergedBy: "sam",
    primaryBefore: primary,
    primaryAfter: after.contact,
    secondaryBefore: secondary,
    primaryAttributesBefore: attributes.primary,
    primaryAttributesAfter: after.attributes,
    movedIdentities: [],
    moved: { conversations: [], notes: [], calls: [], activity: [] },
    unmergedAt: null,
    unmergedBy: null,
  }
  return { after, merge }
}

describe("merging two contacts", () => {
  it("names each field both contacts have a different value for", () => {
    expect(
      mergeConflicts({ contact: primary, attributes: { tier: "Gold", seats: 2 } }, { contact: secondary, attributes: { tier: "Gold", seats: 3 } }),
    ).toEqual([
      { field: "fullName", primary: "Marie Curie", secondary: "M. Curie" },
      { field: "type", primary: "Client", secondary: "Lead" },
      { field: "email", primary: "marie@example.com", secondary: "curie@example.com" },
      { field: "primaryPhone", primary: "+33612000001", secondary: "+33612000002" },
      { field: "attributes.seats", primary: 2, secondary: 3 },
    ])
    // A value only one contact has, or the same address in another case, is no conflict.
    expect(mergeConflicts({ contact: { ...primary, email: null }, attributes: {} }, { contact: secondary, attributes: { tier: "Gold" } })).not.toContainEqual(
      expect.objectContaining({ field: "email" }),
    )
    expect(mergeConflicts({ contact: primary, attributes: {} }, { contact: { ...secondary, email: "MARIE@example.com" }, attributes: {} })).not.toContainEqual(
      expect.objectContaining({ field: "email" }),
    )
  })

  it("keeps the chosen values and loses no identity", () => {
    const { after } = mergeOf({ fullName: "secondary", primaryPhone: "secondary", "attributes.tier": "secondary" })
    expect(after.contact).toMatchObject({
      id: primary.id,
      fullName: "M. Curie",
      type: "Client",
      primaryPhone: "+33612000002",
      email: "marie@example.com",
      lastActivityAt: "2026-02-01T09:00:00.000Z",
      createdAt: primary.createdAt,
      version: primary.version + 1,
    })
    expect(after.contact.phones).toEqual(["+33612000004", "+33612000003", "+33612000001"])
    expect(after.contact.channelIdentities).toEqual([
      { channel: "telegram", handle: "@curie" },
      { channel: "email", handle: "curie@example.com" },
    ])
    expect(after.attributes).toEqual({ tier: "Silver", seats: 3 })
  })

  it("takes the other contact's value of a field the chosen one lacks", () => {
    const lacking = mergedContact({ contact: { ...primary, email: null, primaryPhone: null }, attributes: {} }, { contact: secondary, attributes: {} }, {})
    expect(lacking.contact).toMatchObject({ email: "curie@example.com", primaryPhone: "+33612000002" })
  })

  it("leaves a tombstone without identities that points to the primary", () => {
    expect(contactTombstone(secondary, primary.id, at)).toMatchObject({
      fullName: "M. Curie",
      primaryPhone: null,
      phones: [],
      email: null,
      channelIdentities: [],
      mergedInto: primary.id,
      mergedAt: at,
      version: secondary.version + 1,
    })
  })
})

describe("unmerging two contacts", () => {
  it("gives the primary back what it was when nothing changed since the merge", () => {
    const { after, merge } = mergeOf({
      fullName: "secondary",
      email: "secondary",
      primaryPhone: "secondary",
      type: "secondary",
      "attributes.tier": "secondary",
    })
    expect(unmergedPrimary(after.contact, merge, ["Lead", "Client"])).toEqual({ ...primary, version: after.contact.version + 1 })
    expect(unmergedAttributes(after.attributes, merge)).toEqual({ put: { tier: "Gold" }, remove: ["seats"] })
  })

  it("keeps a change made since the merge, and a type no longer in the catalog", () => {
    const { after, merge } = mergeOf({ fullName: "secondary", type: "secondary" })
    const changed = { ...after.contact, fullName: "Marie S. Curie", phones: [...after.contact.phones, "+33612000009"], version: after.contact.version + 1 }
    const unmerged = unmergedPrimary(changed, merge, ["Lead"])
    expect(unmerged).toMatchObject({ fullName: "Marie S. Curie", type: "Lead", primaryPhone: "+33612000001" })
    expect(unmerged.phones).toEqual(["+33612000004", "+33612000009"])
    expect(unmergedAttributes({ ...after.attributes, tier: "Platinum" }, merge)).toEqual({ put: {}, remove: ["seats"] })
  })

  it("brings the secondary back without the identities another contact holds now", () => {
    const { merge } = mergeOf({})
    const tombstone = { ...contactTombstone(secondary, primary.id, at), type: "Prospect" }
    const restored = restoredSecondary(tombstone, merge, (identity) => identity.value !== "+33612000003" && identity.value !== "curie")
    expect(restored).toEqual({ ...secondary, phones: [], channelIdentities: [], type: "Prospect", version: tombstone.version + 1 })
  })
})
