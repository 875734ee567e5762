/**
 * Where the store's tables live: a prefix on every table name, so that the store fits into an
 * existing database (on PostgreSQL, the connection's `search_path` chooses the schema).
 *
 * @example
 * ```ts
 * import type { TableOptions } from "rmc-details/kysely"
 * const options: TableOptions = { tablePrefix: "details_" }
 * ```
 */
export interface TableOptions {
  /** Prefix of every table name; `rmc_` by default. */
  readonly tablePrefix?: string | undefined
}

/**
 * The names of the store's tables for a prefix.
 *
 * @example
 * ```ts
 * import { tableNames } from "rmc-details/kysely"
 * tableNames({ tablePrefix: "x_" }).notes // "x_notes"
 * ```
 */
export const tableNames = (options: TableOptions = {}) => {
  const p = options.tablePrefix ?? "rmc_"
  return {
    settings: `${p}tenant_settings`,
    contacts: `${p}contacts`,
    contactIdentities: `${p}contact_identities`,
    conversations: `${p}conversations`,
    departments: `${p}departments`,
    agents: `${p}agents`,
    keywords: `${p}keywords`,
    labels: `${p}labels`,
    notes: `${p}notes`,
    conversationKeywords: `${p}conversation_keywords`,
    conversationLabels: `${p}conversation_labels`,
    calls: `${p}call_attempts`,
    idempotency: `${p}idempotency_keys`,
    activity: `${p}activity`,
    outboxSequence: `${p}outbox_sequence`,
    outboxGate: `${p}outbox_gate`,
    relays: `${p}relays`,
    webhookSubscriptions: `${p}webhook_subscriptions`,
    webhookDeadLetters: `${p}webhook_dead_letters`,
    attributeDefinitions: `${p}attribute_definitions`,
    attributeValues: `${p}attribute_values`,
    contactMerges: `${p}contact_merges`,
  } as const
}

/**
 * The table names of a store.
 *
 * @example
 * ```ts
 * import type { TableNames } from "rmc-details/kysely"
 * const notesOf = (t: TableNames) => t.notes
 * ```
 */
export type TableNames = ReturnType<typeof tableNames>
