import { Metric } from "effect"

/**
 * The relay's Effect metrics, each with a `relay` attribute (the relay's name): events published,
 * publications retried and failed, the lag in events and in seconds, and whether this instance
 * holds the lease (1) or stands by (0), and for every event published the seconds from its
 * `occurredAt` to the sink's acceptance (`rmc_relay_publish_lag_seconds`, a histogram). Read them with `Metric.value` or any metrics exporter.
 *
 * @example
 * ```ts
 * import { Effect, Metric } from "effect"
 * import { relayMetrics } from "rmc-details/relay"
 * const lag = Metric.value(Metric.withAttributes(relayMetrics.lagEvents, { relay: "outbox" }))
 * ```
 */
export const relayMetrics = {
  published: Metric.counter("rmc_relay_published_events", { description: "Events the sink took and the relay checkpointed", incremental: true }),
  retried: Metric.counter("rmc_relay_retried_publications", { description: "Batches published again after a failure", incremental: true }),
  failed: Metric.counter("rmc_relay_failed_publications", { description: "Publications the sink refused or that failed", incremental: true }),
  lagEvents: Metric.gauge("rmc_relay_lag_events", { description: "Committed events not yet published" }),
  lagSeconds: Metric.gauge("rmc_relay_lag_seconds", { description: "Age of the oldest event not yet published" }),
  publishLag: Metric.histogram("rmc_relay_publish_lag_seconds", {
    description: "Seconds from an event's occurredAt to the sink's acceptance of it",
    boundaries: Metric.exponentialBoundaries({ start: 0.005, factor: 2, count: 16 }),
  }),
  leader: Metric.gauge("rmc_relay_leader", { description: "1 while this instance holds the lease" }),
} as const
