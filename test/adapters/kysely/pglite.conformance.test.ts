import { describeStorageConformance } from "../../../src/testing"
import { openPglite } from "./databases"
import { scopedKyselyStorage } from "./scoped-storage"

describeStorageConformance("kysely pglite", scopedKyselyStorage(openPglite))
