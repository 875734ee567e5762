import type { DatabaseConnection, Kysely, Transaction } from "kysely"
import type { StorageRepositories } from "../../../ports/storage"
import { LazyGroups } from "../lazy-groups"
import type { WriteBehind } from "../write-behind"
import { activityRepository } from "./activity"
import { agentsRepository } from "./agents"
import { attributesRepository } from "./attributes"
import { callsRepository } from "./calls"
import { departmentsRepository, keywordsRepository, labelsRepository } from "./catalogs"
import { contactsRepository } from "./contacts"
import { conversationsRepository } from "./conversations"
import { detailsRepository } from "./details"
import { idempotencyRepository } from "./idempotency"
import { mergesRepository } from "./merges"
import { notesRepository } from "./notes"
import { Scope, type Store } from "./scope"
import { settingsRepository } from "./settings"
import { taggingRepository } from "./tagging"
import { webhooksRepository } from "./webhooks"

/** How each group is built from its scope: a group missing here is a compile error. */
const builders: { readonly [K in keyof StorageRepositories]: (scope: Scope) => StorageRepositories[K] } = {
  settings: settingsRepository,
  contacts: contactsRepository,
  conversations: conversationsRepository,
  departments: departmentsRepository,
  agents: agentsRepository,
  keywords: keywordsRepository,
  labels: labelsRepository,
  notes: notesRepository,
  tagging: taggingRepository,
  calls: callsRepository,
  idempotency: idempotencyRepository,
  activity: activityRepository,
  webhooks: webhooksRepository,
  attributes: attributesRepository,
  details: detailsRepository,
  merges: mergesRepository,
}

const lazyRepositories = LazyGroups.of<StorageRepositories, Scope>(builders)

/**
 * The repositories of one unit of work on `db` (a transaction, or the database outside one);
 * `connection` is the one a transaction holds, for its cached statements to go to directly, and
 * `writeBehind` holds its inserts back for its next statement, where the dialect can combine them.
 */
export const repositories = (
  db: Kysely<any> | Transaction<any>,
  store: Store,
  connection?: DatabaseConnection,
  writeBehind?: WriteBehind,
): StorageRepositories => lazyRepositories(new Scope(db, store, connection, writeBehind))

export type { Store } from "./scope"
