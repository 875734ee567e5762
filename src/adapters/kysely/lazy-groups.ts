/** How each group is built from the context of a unit of work. */
type Builders<T, C> = { readonly [K in keyof T]: (context: C) => T[K] }

/**
 * Repository groups built on first use: a unit of work touches a few of them, and building all of
 * them for every transaction would cost more than the statements of a small one. The getters live
 * on the prototype, so a unit of work allocates one small object and its context, not one property
 * or closure per group.
 */
export class LazyGroups<T extends object, C> {
  readonly built: Partial<T> = {}
  constructor(readonly context: C) {}

  static of<T extends object, C>(builders: Builders<T, C>): (context: C) => T {
    class Groups extends LazyGroups<T, C> {}
    for (const name of Object.keys(builders) as Array<keyof T & string>) {
      const build = builders[name]
      Object.defineProperty(Groups.prototype, name, {
        get(this: Groups) {
          this.built[name] ??= build(this.context)
          return this.built[name]
        },
      })
    }
    return (context) => new Groups(context) as unknown as T
  }
}
