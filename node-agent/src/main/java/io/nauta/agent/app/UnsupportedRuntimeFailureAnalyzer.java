package io.nauta.agent.app;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says plainly at start-up why the runtime asked for cannot run and what to do, no stack trace. */
public final class UnsupportedRuntimeFailureAnalyzer
    extends AbstractFailureAnalyzer<UnsupportedRuntimeException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, UnsupportedRuntimeException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Start the agent with --nauta.agent.runtime=docker (a Docker engine must answer) or"
            + " --nauta.agent.runtime=simulated (pods run no containers); deploy/nauta up"
            + " --runtime docker|simulated.",
        cause);
  }
}
