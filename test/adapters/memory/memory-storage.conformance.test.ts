import { makeMemoryStorage } from "../../../src/adapters/memory"
import { describeStorageConformance } from "../../../src/testing"

describeStorageConformance("memory", async () => ({ storage: makeMemoryStorage() }))
