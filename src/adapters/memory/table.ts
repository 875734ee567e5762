import { HashMap, HashSet, Option } from "effect"

/** How a table files its rows: for each index, the index key of a row, or `null` to leave it out. */
export type Indexers<A, I extends string> = { readonly [K in I]: (row: A) => string | null }

type Index = HashMap.HashMap<string, HashSet.HashSet<string>>

const without = (index: Index, indexKey: string, rowKey: string): Index => {
  const keys = Option.getOrUndefined(HashMap.get(index, indexKey))
  if (keys === undefined) return index
  const rest = HashSet.remove(keys, rowKey)
  return HashSet.size(rest) === 0 ? HashMap.remove(index, indexKey) : HashMap.set(index, indexKey, rest)
}

const withKey = (index: Index, indexKey: string, rowKey: string): Index =>
  HashMap.set(
    index,
    indexKey,
    HashSet.add(
      Option.getOrElse(HashMap.get(index, indexKey), () => HashSet.empty<string>()),
      rowKey,
    ),
  )

/**
 * A persistent table of the memory store: rows by key, and secondary indexes from an index key
 * (a tenant, a contact, a note's subject...) to the keys of its rows. A table is never changed:
 * `set` and `remove` answer a new table that shares all but the few tree nodes on the changed
 * paths with the old one, in O(log n) time and space. So a transaction can write to a snapshot of
 * the store without copying it, and the old snapshot stays whole for whoever still reads it.
 *
 * @example
 * ```ts
 * import { Table } from "./table"
 * const notes = Table.empty<{ id: string; subject: string }, "subject">({ subject: (n) => n.subject })
 *   .set("n1", { id: "n1", subject: "c1" })
 * notes.find("subject", "c1") // [{ id: "n1", subject: "c1" }]
 * ```
 */
export class Table<A, I extends string = never> {
  private constructor(
    private readonly indexers: Indexers<A, I>,
    private readonly rows: HashMap.HashMap<string, A>,
    private readonly indexes: { readonly [K in I]: Index },
  ) {}

  /** A table with no rows and the given indexes. */
  static empty<A, I extends string = never>(indexers: Indexers<A, I>): Table<A, I> {
    const indexes = Object.fromEntries(Object.keys(indexers).map((name) => [name, HashMap.empty<string, HashSet.HashSet<string>>()])) as { [K in I]: Index }
    return new Table(indexers, HashMap.empty(), indexes)
  }

  /** The row stored under `key`, if any. */
  get(key: string): A | undefined {
    return Option.getOrUndefined(HashMap.get(this.rows, key))
  }

  /** Whether a row is stored under `key`. */
  has(key: string): boolean {
    return HashMap.has(this.rows, key)
  }

  /** The table with `row` stored under `key` (replacing what was there) and filed in every index. */
  set(key: string, row: A): Table<A, I> {
    return this.replace(key, row)
  }

  /** The table without the row stored under `key`. */
  remove(key: string): Table<A, I> {
    return this.has(key) ? this.replace(key, undefined) : this
  }

  /** The rows that index `name` files under `indexKey`, in no particular order. */
  find(name: I, indexKey: string): Array<A> {
    const keys = Option.getOrUndefined(HashMap.get(this.indexes[name], indexKey))
    return keys === undefined ? [] : [...keys].map((key) => this.get(key)!)
  }

  /** Every row, in no particular order. */
  values(): Array<A> {
    return [...HashMap.values(this.rows)]
  }

  private replace(key: string, row: A | undefined): Table<A, I> {
    const before = this.get(key)
    const indexes: { [K in I]: Index } = { ...this.indexes }
    for (const name of Object.keys(this.indexers) as Array<I>) {
      const indexKeyOf = this.indexers[name]
      const from = before === undefined ? null : indexKeyOf(before)
      const to = row === undefined ? null : indexKeyOf(row)
      if (from === to) continue
      if (from !== null) indexes[name] = without(indexes[name], from, key)
      if (to !== null) indexes[name] = withKey(indexes[name], to, key)
    }
    const rows = row === undefined ? HashMap.remove(this.rows, key) : HashMap.set(this.rows, key, row)
    return new Table(this.indexers, rows, indexes)
  }
}
