import { Effect } from "effect"
import type { ArchivedError, NotFoundError, StorageError } from "../../domain/shared/errors"
import type { StorageRepositories } from "../../ports/storage"
import { usable } from "./usable"

/**
 * The distinct department ids an agent is given, once each is checked to be a live department of
 * the tenant.
 *
 * @internal
 */
export const agentDepartments = (
  r: StorageRepositories,
  tenantId: string,
  departmentIds: ReadonlyArray<string>,
): Effect.Effect<Array<string>, StorageError | NotFoundError | ArchivedError> =>
  Effect.gen(function* () {
    const distinct = [...new Set(departmentIds)]
    for (const id of distinct) yield* usable("department", id, r.departments.get(tenantId, id))
    return distinct
  })
