import { describeStorageConformance } from "../../../src/testing"
import { openSqlite } from "./databases"
import { scopedKyselyStorage } from "./scoped-storage"

describeStorageConformance("kysely sqlite", scopedKyselyStorage(openSqlite))
