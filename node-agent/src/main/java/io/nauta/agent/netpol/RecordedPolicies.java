package io.nauta.agent.netpol;

import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The simulated runtime's enforcement: its pods have no network, so it only records (and logs) what
 * it would enforce, one line per isolated pod.
 */
public final class RecordedPolicies implements PolicyEnforcement {

  private static final Log log = LogFactory.getLog(RecordedPolicies.class);

  private volatile List<PodFirewall> current = List.of();

  @Override
  public void apply(List<PodFirewall> pods) {
    if (pods.equals(current)) {
      return;
    }
    current = List.copyOf(pods);
    if (log.isInfoEnabled()) {
      StringBuilder out =
          new StringBuilder("network policy: would enforce for " + pods.size() + " pod(s)");
      pods.forEach(p -> out.append("\n  ").append(p));
      log.info(out);
    }
  }

  @Override
  public List<PodFirewall> current() {
    return current;
  }

  @Override
  public void close() {
    current = List.of();
  }
}
