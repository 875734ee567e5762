import pg from "pg"

/**
 * A fresh PostgreSQL schema of a benchmark's own, so that a run never meets another's tables:
 * `options` sets it as the search path of a `pg` pool, `url` is the same for a connection string,
 * and `drop` removes it with everything in it.
 */
export const benchSchema = async (url: string, name: string) => {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`drop schema if exists ${name} cascade; create schema ${name}`)
  const options = `-c search_path=${name}`
  return {
    options,
    url: `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(options)}`,
    drop: () => admin(`drop schema ${name} cascade`),
  }
}
