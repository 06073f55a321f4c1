package io.nauta.agent.probes;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import reactor.core.publisher.Mono;

/** Runs one probe's action ({@code exec}, {@code httpGet}, {@code tcpSocket}) once. */
public interface Prober {

  /**
   * @param probe the probe from the pod spec
   * @param target the container it probes
   * @param timeout how long the action may take; one that takes longer failed
   * @return the outcome, with why it failed; never an error (an action that cannot run failed)
   */
  Mono<ProbeOutcome> probe(Probe probe, ProbeTarget target, Duration timeout);
}
