import { type CreateTableBuilder, type Kysely, sql } from "kysely"
import { type Migration, type MigrationResultSet, Migrator, NO_MIGRATIONS } from "kysely/migration"
import { contactNameKey, identitiesOf } from "../../domain/contact/contact-identity"
import { capabilitiesOf, type SqlDialect } from "./dialect"
import { toContact } from "./rows"
import { type TableOptions, tableNames } from "./tables"

/**
 * What the migrations need to know: the SQL family and where the tables go.
 *
 * @example
 * ```ts
 * import type { MigrationOptions } from "rmc-details/kysely"
 * const options: MigrationOptions = { dialect: "postgres", tablePrefix: "details_" }
 * ```
 */
export interface MigrationOptions extends TableOptions {
  readonly dialect: SqlDialect
}

const initial = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const id = c.text(36)
  const tenant = c.text(128)
  const externalId = c.text(128)
  const time = c.text(24)
  const name = c.text(80)
  const withOptions = <TB extends string, CB extends string>(table: CreateTableBuilder<TB, CB>) =>
    c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)
  return {
    async up(db: Kysely<any>) {
      await withOptions(
        db.schema
          .createTable(t.settings)
          .addColumn("tenant_id", tenant, (col) => col.notNull().primaryKey())
          .addColumn("document", c.longText, (col) => col.notNull())
          .addColumn("version", "integer", (col) => col.notNull()),
      ).execute()

      await withOptions(
        db.schema
          .createTable(t.contacts)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("full_name", c.text(200), (col) => col.notNull())
          .addColumn("type", c.text(50), (col) => col.notNull())
          .addColumn("primary_phone", c.text(16))
          .addColumn("phones", c.longText, (col) => col.notNull())
          .addColumn("email", c.text(320))
          .addColumn("channel_identities", c.longText, (col) => col.notNull())
          .addColumn("created_at", time, (col) => col.notNull())
          .addColumn("last_activity_at", time, (col) => col.notNull())
          .addColumn("version", "integer", (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}contacts_pk`, ["tenant_id", "id"]),
      ).execute()

      // Departments, keywords and labels: named catalogs, unique per tenant on the normalised name.
      const catalog = (table: string, key: string, extra: (builder: CreateTableBuilder<string, string>) => CreateTableBuilder<string, string>) =>
        withOptions(
          extra(
            db.schema
              .createTable(table)
              .addColumn("tenant_id", tenant, (col) => col.notNull())
              .addColumn("id", id, (col) => col.notNull())
              .addColumn("name", name, (col) => col.notNull())
              .addColumn("normalized_name", name, (col) => col.notNull())
              .addColumn("created_at", time, (col) => col.notNull())
              .addColumn("archived_at", time),
          )
            .addPrimaryKeyConstraint(`${p}${key}_pk`, ["tenant_id", "id"])
            .addUniqueConstraint(`${p}${key}_name_uq`, ["tenant_id", "normalized_name"]),
        ).execute()
      await catalog(t.departments, "departments", (table) => table)
      await catalog(t.keywords, "keywords", (table) => table.addColumn("merged_into_id", id))
      await catalog(t.labels, "labels", (table) =>
        table
          .addColumn("color", c.text(7), (col) => col.notNull())
          .addColumn("description", c.text(500))
          .addColumn("created_by", externalId, (col) => col.notNull()),
      )

      await withOptions(
        db.schema
          .createTable(t.conversations)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("contact_id", id, (col) => col.notNull())
          .addColumn("channel", c.text(20), (col) => col.notNull())
          .addColumn("status", c.text(20), (col) => col.notNull())
          .addColumn("assignee_id", externalId)
          .addColumn("department_id", id)
          .addColumn("created_at", time, (col) => col.notNull())
          .addColumn("last_activity_at", time, (col) => col.notNull())
          .addColumn("assigned_at", time)
          .addColumn("version", "integer", (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}conversations_pk`, ["tenant_id", "id"])
          .addForeignKeyConstraint(`${p}conversations_contact_fk`, ["tenant_id", "contact_id"], t.contacts, ["tenant_id", "id"])
          .addForeignKeyConstraint(`${p}conversations_department_fk`, ["tenant_id", "department_id"], t.departments, ["tenant_id", "id"]),
      ).execute()
      await db.schema.createIndex(`${p}conversations_activity_ix`).on(t.conversations).columns(["tenant_id", "last_activity_at", "id"]).execute()
      await db.schema.createIndex(`${p}conversations_contact_ix`).on(t.conversations).columns(["tenant_id", "contact_id", "last_activity_at", "id"]).execute()
      await db.schema.createIndex(`${p}conversations_department_ix`).on(t.conversations).columns(["tenant_id", "department_id", "created_at"]).execute()
      await db.schema.createIndex(`${p}conversations_created_ix`).on(t.conversations).columns(["tenant_id", "created_at"]).execute()

      await withOptions(
        db.schema
          .createTable(t.notes)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("subject_kind", c.text(20), (col) => col.notNull())
          .addColumn("subject_id", id, (col) => col.notNull())
          .addColumn("contact_id", id, (col) => col.notNull())
          .addColumn("body", c.longText, (col) => col.notNull())
          .addColumn("author_id", externalId, (col) => col.notNull())
          .addColumn("created_at", time, (col) => col.notNull())
          .addColumn("edited_at", time)
          .addColumn("deleted_at", time)
          .addColumn("deleted_by", externalId)
          .addColumn("revisions", c.longText, (col) => col.notNull())
          .addColumn("version", "integer", (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}notes_pk`, ["tenant_id", "id"])
          .addForeignKeyConstraint(`${p}notes_contact_fk`, ["tenant_id", "contact_id"], t.contacts, ["tenant_id", "id"]),
      ).execute()
      await db.schema.createIndex(`${p}notes_subject_ix`).on(t.notes).columns(["tenant_id", "subject_kind", "subject_id", "created_at"]).execute()

      for (const [table, column, target, pk] of [
        [t.conversationKeywords, "keyword_id", t.keywords, "conversation_keywords"],
        [t.conversationLabels, "label_id", t.labels, "conversation_labels"],
      ] as const) {
        await withOptions(
          db.schema
            .createTable(table)
            .addColumn("tenant_id", tenant, (col) => col.notNull())
            .addColumn("conversation_id", id, (col) => col.notNull())
            .addColumn(column, id, (col) => col.notNull())
            .addColumn("added_at", time, (col) => col.notNull())
            .addPrimaryKeyConstraint(`${p}${pk}_pk`, ["tenant_id", "conversation_id", column])
            .addForeignKeyConstraint(`${p}${pk}_conversation_fk`, ["tenant_id", "conversation_id"], t.conversations, ["tenant_id", "id"])
            .addForeignKeyConstraint(`${p}${pk}_target_fk`, ["tenant_id", column], target, ["tenant_id", "id"]),
        ).execute()
        await db.schema.createIndex(`${p}${pk}_reverse_ix`).on(table).columns(["tenant_id", column, "conversation_id"]).execute()
      }

      await withOptions(
        db.schema
          .createTable(t.calls)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("conversation_id", id, (col) => col.notNull())
          .addColumn("contact_id", id, (col) => col.notNull())
          .addColumn("to_number", c.text(16), (col) => col.notNull())
          .addColumn("idempotency_key", c.text(200), (col) => col.notNull())
          .addColumn("requested_by", externalId, (col) => col.notNull())
          .addColumn("status", c.text(20), (col) => col.notNull())
          .addColumn("provider_call_id", c.text(200))
          .addColumn("failure_reason", c.longText)
          .addColumn("created_at", time, (col) => col.notNull())
          .addColumn("updated_at", time, (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}call_attempts_pk`, ["tenant_id", "id"])
          .addUniqueConstraint(`${p}call_attempts_key_uq`, ["tenant_id", "idempotency_key"])
          .addForeignKeyConstraint(`${p}call_attempts_conversation_fk`, ["tenant_id", "conversation_id"], t.conversations, ["tenant_id", "id"]),
      ).execute()
      await db.schema.createIndex(`${p}call_attempts_provider_ix`).on(t.calls).columns(["tenant_id", "provider_call_id"]).execute()
      await db.schema.createIndex(`${p}call_attempts_conversation_ix`).on(t.calls).columns(["tenant_id", "conversation_id", "created_at"]).execute()

      await withOptions(
        db.schema
          .createTable(t.idempotency)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("idempotency_key", c.text(200), (col) => col.notNull())
          .addColumn("operation", c.text(64), (col) => col.notNull())
          .addColumn("request_hash", c.text(64), (col) => col.notNull())
          .addColumn("response", c.longText, (col) => col.notNull())
          .addColumn("created_at", time, (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}idempotency_keys_pk`, ["tenant_id", "idempotency_key"]),
      ).execute()

      await withOptions(
        db.schema
          .createTable(t.activity)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("position", c.bigint, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("type", c.text(64), (col) => col.notNull())
          .addColumn("at", time, (col) => col.notNull())
          .addColumn("actor_id", externalId, (col) => col.notNull())
          .addColumn("actor_role", c.text(20), (col) => col.notNull())
          .addColumn("subject_id", c.text(200), (col) => col.notNull())
          .addColumn("conversation_id", id)
          .addColumn("contact_id", id)
          .addColumn("before_state", c.longText)
          .addColumn("after_state", c.longText)
          .addPrimaryKeyConstraint(`${p}activity_pk`, ["tenant_id", "position"])
          .addUniqueConstraint(`${p}activity_position_uq`, ["position"]),
      ).execute()
      await db.schema.createIndex(`${p}activity_conversation_ix`).on(t.activity).columns(["tenant_id", "conversation_id", "at", "id"]).execute()
      await db.schema.createIndex(`${p}activity_contact_ix`).on(t.activity).columns(["tenant_id", "contact_id", "at", "id"]).execute()

      // One row that hands out outbox positions: its row lock orders appends by commit.
      await withOptions(
        db.schema
          .createTable(t.outboxSequence)
          .addColumn("id", "integer", (col) => col.notNull().primaryKey())
          .addColumn("position", c.bigint, (col) => col.notNull()),
      ).execute()
      await db.insertInto(t.outboxSequence).values({ id: 1, position: 0 }).execute()
    },
    async down(db: Kysely<any>) {
      for (const table of [
        t.outboxSequence,
        t.activity,
        t.idempotency,
        t.calls,
        t.conversationLabels,
        t.conversationKeywords,
        t.notes,
        t.conversations,
        t.labels,
        t.keywords,
        t.departments,
        t.contacts,
        t.settings,
      ]) {
        await db.schema.dropTable(table).ifExists().execute()
      }
    },
  }
}

/**
 * PostgreSQL estimates each condition of a query as if it were independent of the others, but an id
 * scoped to a tenant (a label, a department, a contact) implies its tenant: `tenant_id = $1 and
 * label_id = $2` would be estimated at one row when it selects every conversation with the label,
 * and the planner would then join by nested loops that repeat whole index scans. Extended statistics
 * on each (tenant, id) pair that searches filter on tell it so. The other databases have no
 * equivalent: the migration changes nothing there.
 */
const plannerStatistics = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const p = options.tablePrefix ?? "rmc_"
  const pairs = [
    [t.conversations, "conversations_department_st", "department_id"],
    [t.conversations, "conversations_contact_st", "contact_id"],
    [t.conversationKeywords, "conversation_keywords_keyword_st", "keyword_id"],
    [t.conversationKeywords, "conversation_keywords_conversation_st", "conversation_id"],
    [t.conversationLabels, "conversation_labels_label_st", "label_id"],
    [t.conversationLabels, "conversation_labels_conversation_st", "conversation_id"],
    [t.notes, "notes_subject_st", "subject_id"],
  ] as const
  const c = capabilitiesOf(options.dialect)
  return {
    async up(db: Kysely<any>) {
      if (!c.supportsExtendedStatistics) return
      for (const [table, name, column] of pairs) {
        await sql`create statistics if not exists ${sql.id(`${p}${name}`)} (ndistinct, dependencies) on tenant_id, ${sql.id(column)} from ${sql.table(table)}`.execute(
          db,
        )
      }
      // Gathered now rather than at the next automatic analyze, so that an existing database plans well at once.
      for (const table of new Set(pairs.map(([table]) => table))) await sql`analyze ${sql.table(table)}`.execute(db)
    },
    async down(db: Kysely<any>) {
      if (!c.supportsExtendedStatistics) return
      for (const [, name] of pairs) await sql`drop statistics if exists ${sql.id(`${p}${name}`)}`.execute(db)
    },
  }
}

/**
 * Takes the outbox off its global row (see `docs/events.md`). Every event keeps its position, and
 * a position a reader checkpointed before still reads on from the same place:
 * - `transaction-ids` (PostgreSQL): positions come from a database sequence that starts after the
 *   highest one, and each event stores its transaction id (`xid`). The events written before get
 *   `xid` 0, so they are read first, in their position order, which was their commit order;
 * - `shared-gate` (MySQL/MariaDB): `position` becomes an auto-increment column that starts after
 *   the last position handed out, and a one-row gate table replaces the sequence row;
 * - `serial-writes` (SQLite): nothing changes, the database has one writer at a time.
 */
const outboxWithoutGlobalLock = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const sequence = `${p}activity_position_seq`
  const lastPosition = async (db: Kysely<any>) => {
    const { rows } = await sql<{ last: number | string | null }>`select greatest(
        coalesce((select max(position) from ${sql.table(t.activity)}), 0),
        coalesce((select max(position) from ${sql.table(t.outboxSequence)}), 0)) as last`.execute(db)
    return Number(rows[0]?.last ?? 0)
  }
  const sequenceTable = async (db: Kysely<any>, position: number) => {
    await db.schema
      .createTable(t.outboxSequence)
      .addColumn("id", "integer", (col) => col.notNull().primaryKey())
      .addColumn("position", c.bigint, (col) => col.notNull())
      .$call((table) => (c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)))
      .execute()
    await db.insertInto(t.outboxSequence).values({ id: 1, position }).execute()
  }
  return {
    async up(db: Kysely<any>) {
      if (c.outboxOrdering === "transaction-ids") {
        const last = await lastPosition(db)
        await sql`create sequence ${sql.table(sequence)} as bigint start with ${sql.lit(last + 1)} owned by ${sql.table(t.activity)}.position`.execute(db)
        await sql`alter table ${sql.table(t.activity)} alter column position set default nextval(${sql.lit(sequence)}::regclass)`.execute(db)
        // A constant default fills the rows already there without rewriting the table; new rows get
        // their transaction's id. xid8 never wraps around, so it fits a bigint for good.
        await sql`alter table ${sql.table(t.activity)} add column xid bigint not null default 0`.execute(db)
        await sql`alter table ${sql.table(t.activity)} alter column xid set default (pg_current_xact_id()::text::bigint)`.execute(db)
        await db.schema.createIndex(`${p}activity_outbox_ix`).on(t.activity).columns(["xid", "position"]).execute()
        await db.schema.dropTable(t.outboxSequence).execute()
      } else if (c.outboxOrdering === "shared-gate") {
        const last = await lastPosition(db)
        await sql`alter table ${sql.table(t.activity)} modify position bigint not null auto_increment`.execute(db)
        await sql`alter table ${sql.table(t.activity)} auto_increment = ${sql.lit(last + 1)}`.execute(db)
        await db.schema
          .createTable(t.outboxGate)
          .addColumn("id", "integer", (col) => col.notNull().primaryKey())
          .$call((table) => (c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)))
          .execute()
        await db.insertInto(t.outboxGate).values({ id: 1 }).execute()
        await db.schema.dropTable(t.outboxSequence).execute()
      }
    },
    async down(db: Kysely<any>) {
      if (c.outboxOrdering === "transaction-ids") {
        const { rows } = await sql<{ last: number | string | null }>`select max(position) as last from ${sql.table(t.activity)}`.execute(db)
        await sequenceTable(db, Number(rows[0]?.last ?? 0))
        await db.schema.dropIndex(`${p}activity_outbox_ix`).execute()
        await sql`alter table ${sql.table(t.activity)} drop column xid`.execute(db)
        await sql`alter table ${sql.table(t.activity)} alter column position drop default`.execute(db)
        await sql`drop sequence ${sql.table(sequence)}`.execute(db)
      } else if (c.outboxOrdering === "shared-gate") {
        const { rows } = await sql<{ last: number | string | null }>`select max(position) as last from ${sql.table(t.activity)}`.execute(db)
        await sequenceTable(db, Number(rows[0]?.last ?? 0))
        await db.schema.dropTable(t.outboxGate).execute()
        await sql`alter table ${sql.table(t.activity)} modify position bigint not null`.execute(db)
      }
    },
  }
}

/**
 * The relays' shared state, one row per relay name: the lease (who holds it, until when, and the
 * fencing token, incremented on every acquisition) and the checkpoint (the position of the last
 * event published), written only by the holder of the current token.
 */
const relays = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(t.relays)
        .addColumn("name", c.text(128), (col) => col.notNull().primaryKey())
        .addColumn("holder", c.text(200))
        .addColumn("token", c.bigint, (col) => col.notNull())
        .addColumn("expires_at", c.bigint, (col) => col.notNull())
        .addColumn("position", c.bigint, (col) => col.notNull())
        .addColumn("published", c.bigint, (col) => col.notNull())
        .addColumn("updated_at", c.bigint, (col) => col.notNull())
        .$call((table) => (c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)))
        .execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable(t.relays).ifExists().execute()
    },
  }
}

/**
 * Pages of notes and calls: the subject and conversation indexes end with the id, so that a page
 * ordered by time then id is read from the index in order, never sorted from every row of a long
 * history; and the reading agent's newest note on a conversation (for the note-before-transfer
 * policies) is found by author, whatever the number of other agents' notes.
 */
const notePages = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const drop = (db: Kysely<any>, name: string, table: string) => {
    const statement = db.schema.dropIndex(`${p}${name}`)
    return (c.indexNamedPerTable ? statement.on(table) : statement).execute()
  }
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createIndex(`${p}notes_author_ix`)
        .on(t.notes)
        .columns(["tenant_id", "subject_kind", "subject_id", "author_id", "created_at", "id"])
        .execute()
      // The wider index comes first: MySQL keeps an index that a foreign key relies on.
      await db.schema.createIndex(`${p}notes_page_ix`).on(t.notes).columns(["tenant_id", "subject_kind", "subject_id", "created_at", "id"]).execute()
      await drop(db, "notes_subject_ix", t.notes)
      await db.schema.createIndex(`${p}call_attempts_page_ix`).on(t.calls).columns(["tenant_id", "conversation_id", "created_at", "id"]).execute()
      await drop(db, "call_attempts_conversation_ix", t.calls)
    },
    async down(db: Kysely<any>) {
      await db.schema.createIndex(`${p}call_attempts_conversation_ix`).on(t.calls).columns(["tenant_id", "conversation_id", "created_at"]).execute()
      await drop(db, "call_attempts_page_ix", t.calls)
      await db.schema.createIndex(`${p}notes_subject_ix`).on(t.notes).columns(["tenant_id", "subject_kind", "subject_id", "created_at"]).execute()
      await drop(db, "notes_page_ix", t.notes)
      await drop(db, "notes_author_ix", t.notes)
    },
  }
}

/**
 * Webhook subscriptions (with their secrets and delivery state) and their dead letters (with the
 * event, for a replay).
 */
const webhookSubscriptions = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const id = c.text(36)
  const tenant = c.text(128)
  const time = c.text(24)
  const withOptions = <TB extends string, CB extends string>(table: CreateTableBuilder<TB, CB>) =>
    c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)
  return {
    async up(db: Kysely<any>) {
      await withOptions(
        db.schema
          .createTable(t.webhookSubscriptions)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("url", c.text(2048), (col) => col.notNull())
          .addColumn("description", c.text(500))
          .addColumn("event_types", c.longText)
          .addColumn("include_internal", "integer", (col) => col.notNull())
          .addColumn("enabled", "integer", (col) => col.notNull())
          .addColumn("disabled_reason", c.text(16))
          .addColumn("disabled_at", time)
          .addColumn("consecutive_dead_letters", "integer", (col) => col.notNull())
          .addColumn("failing_since", time)
          .addColumn("secret", c.text(128), (col) => col.notNull())
          .addColumn("previous_secret", c.text(128))
          .addColumn("previous_secret_expires_at", time)
          .addColumn("version", "integer", (col) => col.notNull())
          .addColumn("created_at", time, (col) => col.notNull())
          .addColumn("updated_at", time, (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}webhook_subscriptions_pk`, ["tenant_id", "id"]),
      ).execute()
      await db.schema.createIndex(`${p}webhook_subscriptions_created_ix`).on(t.webhookSubscriptions).columns(["tenant_id", "created_at", "id"]).execute()

      await withOptions(
        db.schema
          .createTable(t.webhookDeadLetters)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("subscription_id", id, (col) => col.notNull())
          .addColumn("event_id", id, (col) => col.notNull())
          .addColumn("event_type", c.text(64), (col) => col.notNull())
          .addColumn("attempts", "integer", (col) => col.notNull())
          .addColumn("last_error", c.text(1000), (col) => col.notNull())
          .addColumn("dead_lettered_at", time, (col) => col.notNull())
          .addColumn("event", c.longText, (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}webhook_dead_letters_pk`, ["tenant_id", "id"])
          .addUniqueConstraint(`${p}webhook_dead_letters_event_uq`, ["tenant_id", "subscription_id", "event_id"]),
      ).execute()
      await db.schema
        .createIndex(`${p}webhook_dead_letters_time_ix`)
        .on(t.webhookDeadLetters)
        .columns(["tenant_id", "subscription_id", "dead_lettered_at", "id"])
        .execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable(t.webhookDeadLetters).ifExists().execute()
      await db.schema.dropTable(t.webhookSubscriptions).ifExists().execute()
    },
  }
}

/** How many contacts the backfill of {@link contactIdentities} reads at a time. */
const backfillBatch = 500

/**
 * Contact identities unique per tenant: the index of who holds each phone number, e-mail address
 * and channel handle (see `identitiesOf`), and each contact's name key for the picker (see
 * `contactNameKey`). Existing contacts are taken over oldest first (by creation time, then id):
 * when several already share an identity, the oldest holds it; the others keep it on their record
 * but are not found by it until a merge or an edit settles it.
 */
const contactIdentities = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const withOptions = <TB extends string, CB extends string>(table: CreateTableBuilder<TB, CB>) =>
    c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)
  const claim = (db: Kysely<any>, row: Record<string, unknown>) => {
    const insert = db.insertInto(t.contactIdentities).values(row)
    if (c.insertIgnore === "on-conflict") return insert.onConflict((oc) => oc.columns(["tenant_id", "kind", "value"]).doNothing()).execute()
    return (c.insertIgnore === "ignore" ? insert.ignore() : insert.orIgnore()).execute()
  }
  return {
    async up(db: Kysely<any>) {
      await withOptions(
        db.schema
          .createTable(t.contactIdentities)
          .addColumn("tenant_id", c.text(128), (col) => col.notNull())
          .addColumn("kind", c.text(16), (col) => col.notNull())
          .addColumn("value", c.text(320), (col) => col.notNull())
          .addColumn("contact_id", c.text(36), (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}contact_identities_pk`, ["tenant_id", "kind", "value"]),
      ).execute()
      await db.schema.createIndex(`${p}contact_identities_contact_ix`).on(t.contactIdentities).columns(["tenant_id", "contact_id"]).execute()
      // Nullable: a column added to existing rows cannot be required on every family; every write fills it.
      await db.schema.alterTable(t.contacts).addColumn("normalized_name", c.text(200)).execute()

      // Oldest first, by keyset: the first contact to claim an identity keeps it.
      let after: { tenant_id: string; created_at: string; id: string } | undefined
      for (;;) {
        let query = db.selectFrom(t.contacts).selectAll().orderBy("tenant_id").orderBy("created_at").orderBy("id").limit(backfillBatch)
        if (after !== undefined) {
          const { tenant_id, created_at, id } = after
          query = query.where(
            sql<boolean>`(tenant_id > ${tenant_id} or (tenant_id = ${tenant_id} and (created_at > ${created_at} or (created_at = ${created_at} and id > ${id}))))`,
          )
        }
        const rows = await query.execute()
        if (rows.length === 0) break
        const claims: Array<Record<string, unknown>> = []
        for (const row of rows) {
          const contact = toContact(row)
          await db
            .updateTable(t.contacts)
            .set({ normalized_name: contactNameKey(contact.fullName) })
            .where("tenant_id", "=", contact.tenantId)
            .where("id", "=", contact.id)
            .execute()
          for (const identity of identitiesOf(contact))
            claims.push({ tenant_id: contact.tenantId, kind: identity.kind, value: identity.value, contact_id: contact.id })
        }
        // One claim per statement in order: a multi-row insert would not say which row a duplicate skipped.
        for (const row of claims) await claim(db, row)
        const last = rows.at(-1)!
        after = { tenant_id: String(last.tenant_id), created_at: String(last.created_at), id: String(last.id) }
      }
      await db.schema.createIndex(`${p}contacts_name_ix`).on(t.contacts).columns(["tenant_id", "normalized_name", "id"]).execute()
    },
    async down(db: Kysely<any>) {
      const statement = db.schema.dropIndex(`${p}contacts_name_ix`)
      await (c.indexNamedPerTable ? statement.on(t.contacts) : statement).execute()
      await db.schema.alterTable(t.contacts).dropColumn("normalized_name").execute()
      await db.schema.dropTable(t.contactIdentities).ifExists().execute()
    },
  }
}

/**
 * Custom attributes: the tenant's definitions (keys unique per tenant) and the values of contacts
 * and conversations, one row per subject and key, typed by the definition's type. A value's text
 * (what equality, `in` and date ranges compare) and number (what number ranges compare) are both
 * indexed per key. New tables only: existing databases have no attribute to carry over.
 */
const customAttributes = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const id = c.text(36)
  const tenant = c.text(128)
  const time = c.text(24)
  const withOptions = <TB extends string, CB extends string>(table: CreateTableBuilder<TB, CB>) =>
    c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)
  return {
    async up(db: Kysely<any>) {
      await withOptions(
        db.schema
          .createTable(t.attributeDefinitions)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("id", id, (col) => col.notNull())
          .addColumn("key", c.text(50), (col) => col.notNull())
          .addColumn("label", c.text(80), (col) => col.notNull())
          .addColumn("type", c.text(16), (col) => col.notNull())
          .addColumn("target", c.text(16), (col) => col.notNull())
          .addColumn("options", c.longText, (col) => col.notNull())
          .addColumn("required", "integer", (col) => col.notNull())
          .addColumn("created_at", time, (col) => col.notNull())
          .addColumn("archived_at", time)
          .addColumn("version", "integer", (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}attribute_definitions_pk`, ["tenant_id", "id"])
          .addUniqueConstraint(`${p}attribute_definitions_key_uq`, ["tenant_id", "key"]),
      ).execute()
      await withOptions(
        db.schema
          .createTable(t.attributeValues)
          .addColumn("tenant_id", tenant, (col) => col.notNull())
          .addColumn("subject_kind", c.text(16), (col) => col.notNull())
          .addColumn("subject_id", id, (col) => col.notNull())
          .addColumn("key", c.text(50), (col) => col.notNull())
          .addColumn("value_type", c.text(16), (col) => col.notNull())
          // 500 characters: with the tenant and the key, the index below fits MySQL's 3,072 bytes.
          .addColumn("value_text", c.text(500), (col) => col.notNull())
          .addColumn("value_number", sql`double precision`)
          .addColumn("updated_at", time, (col) => col.notNull())
          .addPrimaryKeyConstraint(`${p}attribute_values_pk`, ["tenant_id", "subject_kind", "subject_id", "key"]),
      ).execute()
      await db.schema.createIndex(`${p}attribute_values_text_ix`).on(t.attributeValues).columns(["tenant_id", "key", "value_text"]).execute()
      await db.schema.createIndex(`${p}attribute_values_number_ix`).on(t.attributeValues).columns(["tenant_id", "key", "value_number"]).execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable(t.attributeValues).ifExists().execute()
      await db.schema.dropTable(t.attributeDefinitions).ifExists().execute()
    },
  }
}

/**
 * Privacy: when a contact's personal data was erased (`null` on every contact stored before), and
 * the indexes that erasing, exporting and purging read through: a contact's notes and calls
 * newest first, a tenant's notes and events oldest first (see `docs/privacy.md`).
 */
const privacy = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const drop = (db: Kysely<any>, name: string, table: string) => {
    const statement = db.schema.dropIndex(`${p}${name}`)
    return (c.indexNamedPerTable ? statement.on(table) : statement).execute()
  }
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable(t.contacts).addColumn("erased_at", c.text(24)).execute()
      await db.schema.createIndex(`${p}notes_contact_ix`).on(t.notes).columns(["tenant_id", "contact_id", "created_at", "id"]).execute()
      // The index a rollback left for the foreign key (see `down`) has given way to the wider one.
      if (c.foreignKeysAdoptIndexes) {
        const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.statistics
          where table_schema = database() and table_name = ${t.notes} and index_name = ${`${p}notes_contact_key_ix`}`.execute(db)
        if (Number(rows[0]?.n ?? 0) > 0) await drop(db, "notes_contact_key_ix", t.notes)
      }
      await db.schema.createIndex(`${p}notes_created_ix`).on(t.notes).columns(["tenant_id", "created_at", "id"]).execute()
      await db.schema.createIndex(`${p}call_attempts_contact_ix`).on(t.calls).columns(["tenant_id", "contact_id", "created_at", "id"]).execute()
      await db.schema.createIndex(`${p}activity_time_ix`).on(t.activity).columns(["tenant_id", "at", "position"]).execute()
    },
    async down(db: Kysely<any>) {
      await drop(db, "activity_time_ix", t.activity)
      await drop(db, "call_attempts_contact_ix", t.calls)
      await drop(db, "notes_created_ix", t.notes)
      // The foreign key of notes to contacts adopted the wider index: another one takes over first.
      if (c.foreignKeysAdoptIndexes) await db.schema.createIndex(`${p}notes_contact_key_ix`).on(t.notes).columns(["tenant_id", "contact_id"]).execute()
      await drop(db, "notes_contact_ix", t.notes)
      await db.schema.alterTable(t.contacts).dropColumn("erased_at").execute()
    },
  }
}

/**
 * The agent directory. Existing databases need no backfill: a tenant starts with an empty
 * directory, and transfers check it only once the tenant's routing turns `knownAgentsOnly` on.
 */
const agentsAndDepartmentRules = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const time = c.text(24)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(t.agents)
        .addColumn("tenant_id", c.text(128), (col) => col.notNull())
        .addColumn("id", c.text(128), (col) => col.notNull())
        .addColumn("display_name", c.text(200), (col) => col.notNull())
        .addColumn("role", c.text(20), (col) => col.notNull())
        .addColumn("department_ids", c.longText, (col) => col.notNull())
        .addColumn("active", "integer", (col) => col.notNull())
        .addColumn("created_at", time, (col) => col.notNull())
        .addColumn("updated_at", time, (col) => col.notNull())
        .addColumn("version", "integer", (col) => col.notNull())
        .addPrimaryKeyConstraint(`${p}agents_pk`, ["tenant_id", "id"])
        .$call((table) => (c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)))
        .execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable(t.agents).ifExists().execute()
    },
  }
}

/**
 * Contact merges: a merged contact is a tombstone that points to the contact it was merged into
 * (`merged_into`, `null` on every contact stored before), and each merge is recorded with what an
 * unmerge needs (see `mergeContacts`).
 */
const contactMerges = (options: MigrationOptions): Migration => {
  const t = tableNames(options)
  const c = capabilitiesOf(options.dialect)
  const p = options.tablePrefix ?? "rmc_"
  const id = c.text(36)
  const time = c.text(24)
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable(t.contacts).addColumn("merged_into", id).execute()
      await db.schema.alterTable(t.contacts).addColumn("merged_at", time).execute()
      await db.schema
        .createTable(t.contactMerges)
        .addColumn("tenant_id", c.text(128), (col) => col.notNull())
        .addColumn("id", id, (col) => col.notNull())
        .addColumn("primary_id", id, (col) => col.notNull())
        .addColumn("secondary_id", id, (col) => col.notNull())
        .addColumn("merged_at", time, (col) => col.notNull())
        .addColumn("merged_by", c.text(128), (col) => col.notNull())
        .addColumn("primary_before", c.longText, (col) => col.notNull())
        .addColumn("primary_after", c.longText, (col) => col.notNull())
        .addColumn("secondary_before", c.longText, (col) => col.notNull())
        .addColumn("attributes", c.longText, (col) => col.notNull())
        .addColumn("moved_identities", c.longText, (col) => col.notNull())
        .addColumn("moved", c.longText, (col) => col.notNull())
        .addColumn("unmerged_at", time)
        .addColumn("unmerged_by", c.text(128))
        .addPrimaryKeyConstraint(`${p}contact_merges_pk`, ["tenant_id", "id"])
        .$call((table) => (c.tableOptions === null ? table : table.modifyEnd(c.tableOptions)))
        .execute()
      await db.schema.createIndex(`${p}contact_merges_primary_ix`).on(t.contactMerges).columns(["tenant_id", "primary_id", "merged_at"]).execute()
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable(t.contactMerges).ifExists().execute()
      await db.schema.alterTable(t.contacts).dropColumn("merged_at").execute()
      await db.schema.alterTable(t.contacts).dropColumn("merged_into").execute()
    },
  }
}

/**
 * The store's migrations, by name in order, for applications that run their own Kysely `Migrator`
 * (add them to your provider, or run them with {@link migrateToLatest}).
 *
 * @example
 * ```ts
 * import { Migrator } from "kysely/migration"
 * import { rmcMigrations } from "rmc-details/kysely"
 * declare const db: import("kysely").Kysely<any>
 * const migrator = new Migrator({ db, provider: { getMigrations: async () => rmcMigrations({ dialect: "postgres" }) } })
 * ```
 */
export const rmcMigrations = (options: MigrationOptions): Record<string, Migration> => ({
  "0001_details_panel": initial(options),
  "0002_planner_statistics": plannerStatistics(options),
  "0003_outbox_without_global_lock": outboxWithoutGlobalLock(options),
  "0004_relays": relays(options),
  "0005_webhook_subscriptions": webhookSubscriptions(options),
  "0006_note_pages": notePages(options),
  "0007_contact_identities": contactIdentities(options),
  "0008_custom_attributes": customAttributes(options),
  "0009_agents_and_department_rules": agentsAndDepartmentRules(options),
  "0010_privacy": privacy(options),
  "0011_contact_merges": contactMerges(options),
})

/**
 * Migrates the store's tables to the latest version in one call, idempotently. Each table prefix
 * keeps its own migration history, so two stores can share a database.
 *
 * @example
 * ```ts
 * import { migrateToLatest } from "rmc-details/kysely"
 * declare const db: import("kysely").Kysely<any>
 * await migrateToLatest(db, { dialect: "sqlite" })
 * ```
 */
export const migrateToLatest = async (db: Kysely<any>, options: MigrationOptions): Promise<MigrationResultSet> =>
  outcome(await (await migratorFor(db, options)).migrateToLatest())

/**
 * Rolls every migration of the store back: its tables are dropped. For demos and test databases
 * that start over; never for data you keep.
 *
 * @example
 * ```ts
 * import { migrateToEmpty, migrateToLatest } from "rmc-details/kysely"
 * declare const db: import("kysely").Kysely<any>
 * await migrateToEmpty(db, { dialect: "postgres", tablePrefix: "demo_" })
 * await migrateToLatest(db, { dialect: "postgres", tablePrefix: "demo_" })
 * ```
 */
export const migrateToEmpty = async (db: Kysely<any>, options: MigrationOptions): Promise<MigrationResultSet> =>
  outcome(await (await migratorFor(db, options)).migrateTo(NO_MIGRATIONS))

const outcome = (result: MigrationResultSet): MigrationResultSet => {
  if (result.error !== undefined) throw result.error
  return result
}

const migratorFor = async (db: Kysely<any>, options: MigrationOptions): Promise<Migrator> => {
  const prefix = options.tablePrefix ?? "rmc_"
  return new Migrator({
    db,
    provider: { getMigrations: async () => rmcMigrations(options) },
    migrationTableName: `${prefix}migrations`,
    migrationLockTableName: `${prefix}migrations_lock`,
    // The migration history lives beside the tables: on PostgreSQL, in the connection's current
    // schema, so that another schema's history is never taken for this one's.
    ...(capabilitiesOf(options.dialect).supportsSchemas && { migrationTableSchema: await currentSchema(db) }),
  })
}

const currentSchema = async (db: Kysely<any>): Promise<string> => {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  return rows[0]?.schema ?? "public"
}
