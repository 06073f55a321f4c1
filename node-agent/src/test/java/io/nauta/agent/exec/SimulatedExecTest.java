package io.nauta.agent.exec;

import io.nauta.agent.runtime.ContainerRuntime;
import io.nauta.agent.runtime.PodCidr;
import io.nauta.agent.runtime.SimulatedRuntime;
import io.nauta.agent.runtime.StreamRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** A runtime that runs no processes says so when asked to exec. */
class SimulatedExecTest {

  @Test
  void theSimulatedRuntimeRefusesExecAndAttachWithAClearError() {
    ContainerRuntime runtime =
        new SimulatedRuntime(PodCidr.nth("10.244.0.0/16", 1), Duration.ZERO, Clock.systemUTC());
    StreamRequest request = new StreamRequest(List.of("true"), false, true, true, false);
    StepVerifier.create(runtime.exec("uid", "app", request))
        .expectErrorMessage(
            "this node's runtime runs no processes (simulated): exec is not supported")
        .verify();
    StepVerifier.create(runtime.attach("uid", "app", request))
        .expectErrorMessage(
            "this node's runtime runs no processes (simulated): attach is not supported")
        .verify();
  }
}
