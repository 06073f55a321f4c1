package io.nauta.api.resourcemetrics;

import java.time.Instant;

/**
 * One sample of a node or container, as metrics-server keeps it.
 *
 * @param timestamp when the agent measured it (the earlier of its CPU and memory times)
 * @param startTime when the container (or node) started; a new one means its counters restarted
 * @param cumulativeCpu {@code usageCoreNanoSeconds}, or -1 when the agent gave none
 * @param nanoCores {@code usageNanoCores}, or -1 when the agent gave none
 * @param memory {@code workingSetBytes}
 */
record MetricsPoint(
    Instant timestamp, Instant startTime, long cumulativeCpu, long nanoCores, long memory) {}
