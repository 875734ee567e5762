// Brokers of a test's own (a NATS server, a RabbitMQ node) on free ports with their data in a
// temporary directory, so that a test can kill and restart them without touching the shared ones.
import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createConnection, createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface OwnBroker {
  readonly url: string
  /** Starts the broker (again, on the same port and data) and resolves once it accepts connections. */
  start(): Promise<void>
  /** Kills the broker at once (SIGKILL to its whole process group), as a crash would. */
  kill(): Promise<void>
  /** Kills it and removes its data. */
  dispose(): Promise<void>
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

const ownBroker = (url: string, port: number, dir: string, launch: () => ChildProcess, startTimeoutMs: number): OwnBroker => {
  let child: ChildProcess | undefined
  const kill = async () => {
    const running = child
    child = undefined
    if (running?.pid === undefined || running.exitCode !== null) return
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()))
    // Negative pid: the process group the broker was started in, helpers included.
    process.kill(-running.pid, "SIGKILL")
    await exited
    // The port is free again once the kernel has closed the listening socket.
    while (await accepts(port)) await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return {
    url,
    start: async () => {
      child = launch()
      const deadline = Date.now() + startTimeoutMs
      while (!(await accepts(port))) {
        if (child.exitCode !== null) throw new Error(`the broker exited with code ${child.exitCode}`)
        if (Date.now() > deadline) throw new Error(`the broker did not listen on ${port} within ${startTimeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    kill,
    dispose: async () => {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A NATS server with JetStream (file storage) of its own. */
export const natsServerBinary = process.env.RMC_TEST_NATS_SERVER ?? "/usr/sbin/nats-server"
export const rabbitMqServerBinary = process.env.RMC_TEST_RABBITMQ_SERVER ?? "/usr/lib/rabbitmq/bin/rabbitmq-server"

export const ownNats = async (): Promise<OwnBroker> => {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), "rmc-nats-"))
  const launch = () => spawn(natsServerBinary, ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir], { detached: true, stdio: "ignore" })
  return ownBroker(`127.0.0.1:${port}`, port, dir, launch, 15_000)
}

/** A RabbitMQ node of its own (its own node name, ports, database, logs and no plugins). */
export const ownRabbitMq = async (): Promise<OwnBroker> => {
  const port = await freePort()
  const distPort = await freePort()
  const dir = mkdtempSync(join(tmpdir(), "rmc-rabbitmq-"))
  mkdirSync(join(dir, "home"))
  writeFileSync(join(dir, "enabled_plugins"), "[].")
  const env = {
    ...process.env,
    HOME: join(dir, "home"),
    RABBITMQ_NODENAME: `rmc${port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: join(dir, "log"),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, "enabled_plugins"),
    RABBITMQ_PID_FILE: join(dir, "pid"),
    RABBITMQ_CONFIG_FILE: join(dir, "none"),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, "none-advanced.config"),
    RABBITMQ_CONF_ENV_FILE: join(dir, "none-env"),
  }
  // The script itself, not the /usr/sbin wrapper, which would switch to the rabbitmq user.
  const launch = () => spawn(rabbitMqServerBinary, [], { detached: true, stdio: "ignore", env })
  return ownBroker(`amqp://guest:guest@127.0.0.1:${port}`, port, dir, launch, 90_000)
}
