/**
 * `values` in consecutive slices of at most `size`: one statement each, to stay within every SQL
 * family's limit of bound parameters whatever the number of records.
 */
export const chunksOf = <A>(values: ReadonlyArray<A>, size: number): Array<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size))
