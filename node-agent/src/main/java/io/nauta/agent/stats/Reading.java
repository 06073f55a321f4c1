package io.nauta.agent.stats;

import java.time.Instant;

/**
 * What a meter read of one running container: its pod, its cumulative CPU time and its memory.
 *
 * @param key what identifies this run of the container between samples (the Docker id)
 * @param time when it was read
 * @param podStart when the pod's sandbox was created
 * @param nanoCores the rate when the meter knows it (the usage model); null: the sampler derives it
 *     from the previous reading
 */
record Reading(
    String key,
    Instant time,
    String podUid,
    String namespace,
    String podName,
    Instant podStart,
    String container,
    Instant containerStart,
    long coreNanoSeconds,
    Long nanoCores,
    long workingSetBytes,
    long usageBytes) {}
