package io.nauta.agent.probes;

/** What one probe run found: the kubelet's {@code proberesults.Success} or {@code Failure}. */
public enum ProbeResult {
  SUCCESS,
  FAILURE
}
