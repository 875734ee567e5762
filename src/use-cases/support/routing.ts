import { Effect } from "effect"
import { agentRefusal } from "../../domain/agent/agent"
import type { Conversation } from "../../domain/conversation/conversation"
import { routeToDepartment } from "../../domain/department/department-rules"
import { type ArchivedError, type NotFoundError, type StorageError, TransferRefusedError } from "../../domain/shared/errors"
import type { TenantSettings } from "../../domain/tenant/tenant-settings"
import { agentDirectoryFor } from "../../ports/agent-directory"
import type { StorageRepositories } from "../../ports/storage"
import { usable } from "./usable"

const refusals = {
  unknown_agent: (id: string) => `The agent directory has no agent ${id}`,
  inactive_agent: (id: string) => `Agent ${id} is deactivated`,
  agent_not_in_department: (id: string) => `Agent ${id} is not a member of the department the conversation goes to`,
  department_not_allowed: (id: string) => `The conversation's department does not allow transfers to department ${id}`,
  department_closed: (id: string) => `Department ${id} is closed and has no open fallback department`,
} as const

const refused = (reason: keyof typeof refusals, target: string) => new TransferRefusedError({ message: refusals[reason](target), reason, target })

/**
 * Where a conversation moved to `departmentId` (a live department of the tenant) at `now` goes under
 * the tenant's department rules: that department, or its open fallback (itself checked to be live)
 * when it is closed. Fails with {@link TransferRefusedError} when the rules refuse the move.
 *
 * @internal
 */
export const routedDepartment = (
  r: StorageRepositories,
  settings: TenantSettings,
  conversation: Pick<Conversation, "tenantId" | "departmentId">,
  departmentId: string,
  now: string,
): Effect.Effect<{ readonly departmentId: string; readonly rerouted: boolean }, StorageError | NotFoundError | ArchivedError | TransferRefusedError> =>
  Effect.gen(function* () {
    yield* usable("department", departmentId, r.departments.get(conversation.tenantId, departmentId))
    const route = routeToDepartment(settings.routing, conversation.departmentId, departmentId, now)
    if (!route.ok) return yield* refused(route.reason, departmentId)
    if (route.rerouted) yield* usable("department", route.departmentId, r.departments.get(conversation.tenantId, route.departmentId))
    return route
  })

/**
 * Checks the agent a conversation is transferred to against the agent directory, when the tenant's
 * routing has `knownAgentsOnly`: it must be known and active, and a member of `departmentId` when
 * the transfer names a department too (`null` otherwise). Fails with {@link TransferRefusedError}.
 *
 * @internal
 */
export const checkTargetAgent = (
  r: StorageRepositories,
  settings: TenantSettings,
  tenantId: string,
  agentId: string,
  departmentId: string | null,
): Effect.Effect<void, StorageError | TransferRefusedError> =>
  Effect.gen(function* () {
    if (settings.routing?.knownAgentsOnly !== true) return
    const directory = yield* agentDirectoryFor(r)
    const refusal = agentRefusal(yield* directory.get(tenantId, agentId), departmentId)
    if (refusal !== null) return yield* refused(refusal, agentId)
  })
