import { execFile } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { createServer } from "node:net"
import { promisify } from "node:util"

const run = promisify(execFile)

/** Whether this machine has Debian's PostgreSQL cluster tools. */
export const clusterToolsAvailable = (): boolean => ["/usr/bin/pg_createcluster", "/usr/bin/pg_ctlcluster", "/usr/bin/pg_dropcluster"].every(existsSync)

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A PostgreSQL 15 cluster of the tests' own, on a free port: the faults (kill, stop, terminated
 * backends) happen to it and never to a shared server.
 */
export class PostgresCluster {
  private constructor(
    readonly name: string,
    readonly port: number,
    readonly version: string,
  ) {}

  static async create(version = "15"): Promise<PostgresCluster> {
    const port = await freePort()
    const name = `rmc_faults_${process.pid}_${port}`
    await run("pg_createcluster", [version, name, "--port", String(port), "--", "--auth-host=trust", "--auth-local=trust"])
    const cluster = new PostgresCluster(name, port, version)
    try {
      await cluster.start()
    } catch (error) {
      await cluster.drop()
      throw error
    }
    return cluster
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  get dataDirectory(): string {
    return `/var/lib/postgresql/${this.version}/${this.name}`
  }

  /** Starts the cluster, again after a crash: orphaned backends may hold it back for a moment. */
  async start(): Promise<void> {
    let last: unknown
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await run("pg_ctlcluster", ["--skip-systemctl-redirect", this.version, this.name, "start"])
        return
      } catch (error) {
        last = error
        await sleep(250)
      }
    }
    throw new Error(`The cluster ${this.name} did not start: ${String((last as Error)?.message ?? last)}`)
  }

  /** The postmaster's process id. */
  postmaster(): number {
    return Number(readFileSync(`${this.dataDirectory}/postmaster.pid`, "utf8").split("\n")[0])
  }

  /** The postmaster and every process it started (backends, checkpointer, writers...). */
  async processes(): Promise<Array<number>> {
    const postmaster = this.postmaster()
    const { stdout } = await run("pgrep", ["-P", String(postmaster)]).catch(() => ({ stdout: "" }))
    return [postmaster, ...stdout.split("\n").filter(Boolean).map(Number)]
  }

  async drop(): Promise<void> {
    await run("pg_dropcluster", ["--stop", this.version, this.name]).catch(async () => {
      // A stopped (SIGSTOP) or half-dead cluster: wake it, then try again.
      for (const pid of await this.processes().catch(() => [])) {
        try {
          process.kill(pid, "SIGCONT")
        } catch {}
      }
      await run("pg_dropcluster", ["--stop", this.version, this.name])
    })
  }
}
