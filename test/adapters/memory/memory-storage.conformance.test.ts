import { memoryStorage } from "../../../src/adapters/memory"
import { describeStorageConformance } from "../../../src/testing"

describeStorageConformance("memory", memoryStorage())
