import { Effect } from "effect"
import { NameTakenError } from "../../../domain/shared/errors"
import type { StorageRepositories } from "../../../ports/storage"
import * as R from "../rows"
import { attempt, attemptUnique } from "../storage-errors"
import type { Scope } from "./scope"

/**
 * The agent directory. Departments are a JSON list of ids in one column: the directory is read by
 * agent, and a department's members are found with `like '%"<id>"%'`, which matches exactly
 * because department ids are UUIDs (no quote, `%`, `_` or escape character in them).
 */
export const agentsRepository = (s: Scope): StorageRepositories["agents"] => {
  const { t } = s
  return {
    get: (tenantId, id) => s.byId(t.agents, tenantId, id).pipe(Effect.map((r) => (r === undefined ? null : R.toAgent(r)))),
    insert: (agent) =>
      attemptUnique(
        s.insertRow(t.agents, R.agentRow(agent)),
        () => new NameTakenError({ message: `The directory has an agent ${agent.id} already`, entity: "agent", name: agent.id }),
      ).pipe(Effect.asVoid),
    update: (agent) => {
      const { tenant_id, id, ...values } = R.agentRow(agent)
      return s.versionedUpdate(t.agents, "agent", tenant_id, id, agent.version, values)
    },
    list: (tenantId, slice) => {
      const { after, departmentIds } = slice
      if (departmentIds !== undefined && departmentIds.length === 0) return Effect.succeed([])
      const values: Record<string, unknown> = { tenant_id: tenantId, limit: slice.limit }
      if (after !== undefined) values.after = after
      for (const [i, departmentId] of (departmentIds ?? []).entries()) values[`d${i}`] = `%"${departmentId}"%`
      const shape = `${slice.includeInactive ? "all" : "active"}.${departmentIds?.length ?? "any"}.${after === undefined ? "first" : "after"}`
      return attempt(() =>
        s.run(`${t.agents}.list.${shape}`, values, (b, v) => {
          let query = b.selectFrom(t.agents).selectAll().where("tenant_id", "=", v.tenant_id)
          if (!slice.includeInactive) query = query.where("active", "=", 1)
          if (departmentIds !== undefined) {
            query = query.where((eb) => eb.or(departmentIds.map((_, i) => eb("department_ids", "like", v[`d${i}`]))))
          }
          if (after !== undefined) query = query.where("id", ">", v.after)
          return query.orderBy("id").limit(v.limit)
        }),
      ).pipe(Effect.map((result) => result.rows.map(R.toAgent)))
    },
  }
}
