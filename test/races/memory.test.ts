import { makeMemoryStorage } from "../../src/adapters/memory"
import { raceConformance } from "../../src/testing/conformance/race-conformance"

const storage = makeMemoryStorage()
raceConformance(() => storage, { numRuns: Number(process.env.RMC_NUM_RUNS ?? 25) })
