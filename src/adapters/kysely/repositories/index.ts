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

/** The repositories of `db` (the database outside any transaction, or a transaction of its own). */
export const repositories = (db: Kysely<any> | Transaction<any>, store: Store): StorageRepositories => lazyRepositories(new Scope(db, store))

/**
 * The repositories of the transactions that run on each connection, one after the other: built for
 * the connection's first transaction, then pointed at each next one. Building the groups a unit of
 * work uses (dozens of closures each) costs a short write more than a statement's own client work.
 */
export class TransactionRepositories {
  readonly #byConnection = new WeakMap<DatabaseConnection, { readonly scope: Scope; readonly repositories: StorageRepositories }>()
  constructor(readonly store: Store) {}

  /** The repositories of `trx`, the transaction that `connection` serves now. */
  of(trx: Transaction<any>, connection: DatabaseConnection, writeBehind: WriteBehind | undefined): StorageRepositories {
    const reused = this.#byConnection.get(connection)
    if (reused !== undefined) {
      reused.scope.enter(trx, writeBehind)
      return reused.repositories
    }
    const scope = new Scope(trx, this.store, connection, writeBehind)
    const repositories = lazyRepositories(scope)
    this.#byConnection.set(connection, { scope, repositories })
    return repositories
  }
}

export type { Store } from "./scope"
