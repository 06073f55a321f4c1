package io.nauta.agent.node;

import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.PodCidr;

/**
 * One node this process runs: its name, address and pod range, and the runtime its pods run on.
 *
 * @param name the Node's name
 * @param ip its InternalIP (pods' hostIP)
 * @param podCidr its pod range ({@code spec.podCIDR})
 * @param runtime what runs its pods
 */
public record AgentNode(String name, String ip, PodCidr podCidr, ContainerRuntime runtime) {}
