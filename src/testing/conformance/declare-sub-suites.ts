import { type Context, Effect, Exit, Layer, Scope } from "effect"
import { afterAll, beforeAll, describe } from "vitest"

/**
 * Which sub-suites of a conformance suite run: `only` names the ones to run (all by default), and
 * `skip` names the ones declared skipped, each with the reason shown in the test report.
 *
 * @example
 * ```ts
 * import type { SubSuiteSelection, StorageSubSuiteName } from "rmc-details/testing"
 * const selection: SubSuiteSelection<StorageSubSuiteName> = {
 *   skip: { model: "runs in the nightly job: 200 command sequences take 4 minutes on this store" },
 * }
 * ```
 */
export interface SubSuiteSelection<Name extends string> {
  /** The sub-suites to run; the others are left out of the report. All of them by default. */
  readonly only?: ReadonlyArray<Name> | undefined
  /** Sub-suites shown as skipped, each with its reason (a non-empty sentence). */
  readonly skip?: { readonly [N in Name]?: string } | undefined
}

/**
 * Declares a conformance suite made of named sub-suites against what a layer provides: the layer is
 * built once before the first test in a scope of its own, closed after the last one.
 */
export const declareSubSuites = <Name extends string, SubSuite, Services, Service>(spec: {
  readonly title: string
  readonly layer: Layer.Layer<Services, unknown>
  readonly from: (context: Context.Context<Services>) => Service
  readonly subSuites: { readonly [N in Name]: SubSuite }
  readonly selection: SubSuiteSelection<Name>
  readonly declare: (subSuite: SubSuite, service: () => Service) => void
}): void => {
  const names = (Object.keys(spec.subSuites) as Array<Name>).sort()
  const known = (name: string): name is Name => Object.hasOwn(spec.subSuites, name)
  const only = spec.selection.only
  const skip: { readonly [N in Name]?: string } = spec.selection.skip ?? {}
  // Callers without types still learn of a misspelt name, instead of a sub-suite silently left out.
  for (const name of [...(only ?? []), ...Object.keys(skip)]) {
    if (!known(name)) throw new Error(`${spec.title}: no sub-suite is named "${name}"; the sub-suites are ${names.join(", ")}`)
  }
  for (const [name, reason] of Object.entries<string | undefined>(skip)) {
    if (typeof reason !== "string" || reason.trim() === "") throw new Error(`${spec.title}: give the reason for skipping "${name}"`)
  }
  const selected = names.filter((name) => only === undefined || only.includes(name))
  const skipped = (name: Name): string | undefined => (Object.hasOwn(skip, name) ? skip[name] : undefined)

  describe(spec.title, () => {
    let scope: Scope.Closeable | undefined
    let service: Service | undefined
    if (selected.some((name) => skipped(name) === undefined)) {
      beforeAll(async () => {
        scope = Scope.makeUnsafe()
        service = spec.from(await Effect.runPromise(Layer.buildWithScope(spec.layer, scope)))
      })
      afterAll(async () => {
        if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
      })
    }
    const current = (): Service => {
      if (service === undefined) throw new Error(`${spec.title}: the layer is built before the first test; ask for the service inside a test`)
      return service
    }
    for (const name of selected) {
      const reason = skipped(name)
      if (reason === undefined) describe(name, () => spec.declare(spec.subSuites[name], current))
      else describe.skip(`${name} (skipped: ${reason})`, () => spec.declare(spec.subSuites[name], current))
    }
  })
}
