package io.nauta.core.quota;

import java.time.Clock;

/** The evaluator of each kind: pods, services and claims their own, anything else by count. */
public final class Evaluators {

  private final PodEvaluator pods;
  private final ServiceEvaluator services = new ServiceEvaluator();
  private final ClaimEvaluator claims = new ClaimEvaluator();

  public Evaluators(Clock clock) {
    this.pods = new PodEvaluator(clock);
  }

  public UsageEvaluator of(String group, String resource) {
    if (group.isEmpty()) {
      switch (resource) {
        case "pods":
          return pods;
        case "services":
          return services;
        case "persistentvolumeclaims":
          return claims;
        default:
          break;
      }
    }
    return new ObjectCountEvaluator(group, resource);
  }
}
