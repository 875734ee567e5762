import { describe } from "vitest"
import { makeMemoryStorage } from "../../src/adapters/memory"
import { racesConformance } from "../../src/testing/conformance/race-conformance"

const storage = makeMemoryStorage()
describe("races", () => racesConformance(() => storage, { numRuns: Number(process.env.RMC_NUM_RUNS ?? 25) }))
