package io.nauta.federation.proxy;

import reactor.core.publisher.Mono;

/**
 * Finds how to reach a member by its Cluster's name. A Cluster that does not exist is a {@code
 * NotFoundException}; one whose credentials are missing or unusable a {@code
 * ServiceUnavailableException}.
 */
public interface MemberEndpoints {

  Mono<MemberEndpoint> endpoint(String cluster);
}
