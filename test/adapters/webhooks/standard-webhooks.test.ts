import fc from "fast-check"
import { Webhook } from "standardwebhooks"
import { describe, expect, it } from "vitest"
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders, webhookSecretKey } from "../../../src/adapters/webhooks/standard-webhooks"

const numRuns = Number(process.env.RMC_NUM_RUNS ?? 50)
const now = () => Math.floor(Date.now() / 1000)
const body = fc.string({ unit: "grapheme", maxLength: 300 })

describe("Standard Webhooks signing", () => {
  it("signs what the official standardwebhooks verifier accepts, and verifies what it signs", async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.uuid(), async (payload, id) => {
        const secret = generateWebhookSecret()
        const official = new Webhook(secret)
        // One timestamp for both signers: a second ticking between two reads of the clock would sign other bytes.
        const timestamp = now()
        const headers = await webhookHeaders({ id, timestamp, body: payload }, [secret])
        expect(() => official.verify(payload, headers, { jsonParse: false })).not.toThrow()
        // Same bytes as the official signer.
        expect(headers["webhook-signature"]).toBe(official.sign(id, new Date(timestamp * 1000), payload))
        const theirs = { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": official.sign(id, new Date(timestamp * 1000), payload) }
        await expect(verifyWebhook(payload, theirs, { secrets: [secret] })).resolves.toBe(id)
      }),
      { numRuns },
    )
  })

  it("the known vector of the Standard Webhooks specification", async () => {
    const signature = await signWebhook({ id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: '{"test": 2432232314}' }, [
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ])
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
  })

  it("accepts either secret during a rotation, signed with both", async () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()]
    const headers = await webhookHeaders({ id: "msg_1", timestamp: now(), body: "{}" }, [newSecret, oldSecret])
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2)
    await expect(verifyWebhook("{}", headers, { secrets: [oldSecret] })).resolves.toBe("msg_1")
    await expect(verifyWebhook("{}", headers, { secrets: [newSecret] })).resolves.toBe("msg_1")
    expect(() => new Webhook(oldSecret).verify("{}", headers)).not.toThrow()
    expect(() => new Webhook(newSecret).verify("{}", headers)).not.toThrow()
    await expect(verifyWebhook("{}", headers, { secrets: [generateWebhookSecret()] })).rejects.toMatchObject({ reason: "invalid_signature" })
  })

  it("refuses a changed body, id or timestamp, an old or future timestamp, and missing headers", async () => {
    const secret = generateWebhookSecret()
    const signedAt = now()
    const headers = await webhookHeaders({ id: "msg_1", timestamp: signedAt, body: '{"a":1}' }, [secret])
    await expect(verifyWebhook('{"a":2}', headers, { secrets: [secret] })).rejects.toMatchObject({ reason: "invalid_signature" })
    await expect(verifyWebhook('{"a":1}', { ...headers, "webhook-id": "msg_2" }, { secrets: [secret] })).rejects.toMatchObject({ reason: "invalid_signature" })
    await expect(verifyWebhook('{"a":1}', { ...headers, "webhook-timestamp": String(signedAt - 1) }, { secrets: [secret] })).rejects.toMatchObject({
      reason: "invalid_signature",
    })
    const old = await webhookHeaders({ id: "msg_1", timestamp: now() - 301, body: "{}" }, [secret])
    await expect(verifyWebhook("{}", old, { secrets: [secret] })).rejects.toMatchObject({ reason: "timestamp_out_of_tolerance" })
    const future = await webhookHeaders({ id: "msg_1", timestamp: now() + 301, body: "{}" }, [secret])
    await expect(verifyWebhook("{}", future, { secrets: [secret] })).rejects.toMatchObject({ reason: "timestamp_out_of_tolerance" })
    await expect(verifyWebhook("{}", { "webhook-id": "x" }, { secrets: [secret] })).rejects.toMatchObject({ reason: "missing_headers" })
    await expect(verifyWebhook("{}", { ...headers, "webhook-signature": "v1,@@@ v2,abc" }, { secrets: [secret] })).rejects.toMatchObject({
      reason: "invalid_signature",
    })
    // A Headers object, as a fetch-standard handler receives it.
    await expect(verifyWebhook('{"a":1}', new Headers(headers), { secrets: [secret] })).resolves.toBe("msg_1")
  })

  it("reads secrets with or without the whsec_ prefix and refuses short or malformed ones", () => {
    expect(webhookSecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toEqual(webhookSecretKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
    expect(() => webhookSecretKey("whsec_c2hvcnQ=")).toThrow(/shorter/)
    expect(() => webhookSecretKey("whsec_not base64!")).toThrow(/base64/)
  })
})
