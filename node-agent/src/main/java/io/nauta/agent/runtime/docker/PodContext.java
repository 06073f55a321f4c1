package io.nauta.agent.runtime.docker;

import io.nauta.agent.runtime.PodObjects;

/**
 * What one sync of a pod knows that its containers are made from.
 *
 * @param sandboxId the sandbox whose network namespace the containers join
 * @param podIp the sandbox's IP, for {@code status.podIP} in the downward API
 * @param objects the ConfigMaps, Secrets and Services read for this sync
 * @param volumes the pod's volumes, set up
 * @param sandboxSharesIpc whether the sandbox's IPC namespace can be joined ({@code shareable})
 */
record PodContext(
    String sandboxId,
    String podIp,
    PodObjects objects,
    PodVolumes.Mounted volumes,
    boolean sandboxSharesIpc) {}
