package io.nauta.agent.app;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says plainly at start-up which runtime was asked for and what to use instead, no stack trace. */
public final class UnsupportedRuntimeFailureAnalyzer
    extends AbstractFailureAnalyzer<UnsupportedRuntimeException> {

  @Override
  protected FailureAnalysis analyze(Throwable root, UnsupportedRuntimeException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Start the agent with --nauta.agent.runtime=simulated (deploy/nauta up --runtime"
            + " simulated).",
        cause);
  }
}
