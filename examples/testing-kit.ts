import fc from "fast-check"
import { createRmc, memoryStorage, ValidationError } from "rmc-details"
import { invalidInput, validInput } from "rmc-details/testing"

export async function main() {
  const api = createRmc({ storage: memoryStorage() }).as({ tenantId: "qa", agentId: "bot", role: "admin" })
  // Every invalid input is refused with a typed error; valid ones pass validation.
  await fc.assert(
    fc.asyncProperty(invalidInput("createLabel"), async (input) => {
      const error = await api.createLabel(input as never).catch((e: unknown) => e)
      if (!(error instanceof ValidationError)) throw new Error("accepted an invalid label")
    }),
    { numRuns: 50 },
  )
  const samples = fc.sample(validInput("createLabel"), 3)
  console.log(samples.length, "valid createLabel inputs")
  return samples
}
