/** How each group is built. */
type Builders<T> = { readonly [K in keyof T]: () => T[K] }

/**
 * Repository groups built on first use: a unit of work touches a few of them, and building all of
 * them for every transaction would cost more than the statements of a small one. The getters live
 * on the prototype, so a unit of work allocates one small object, not one property per group.
 */
export class LazyGroups<T extends object> {
  readonly built: Partial<T> = {}
  constructor(readonly builders: Builders<T>) {}

  static of<T extends object>(names: ReadonlyArray<keyof T & string>): (builders: Builders<T>) => T {
    class Groups extends LazyGroups<T> {}
    for (const name of names) {
      Object.defineProperty(Groups.prototype, name, {
        get(this: Groups) {
          return (this.built[name] ??= this.builders[name]())
        },
      })
    }
    return (builders) => new Groups(builders) as unknown as T
  }
}
