package io.nauta.api.flowcontrol;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API priority and fairness ({@code nauta.flowcontrol.*}), kube-apiserver's flags under Nauta's
 * prefix. The server's concurrency limit is the sum of the two in-flight limits, shared among the
 * limited priority levels in proportion to their {@code nominalConcurrencyShares}.
 *
 * @param enabled {@code --enable-priority-and-fairness}: without it requests are not classified nor
 *     limited (the kinds are still served)
 * @param maxRequestsInflight {@code --max-requests-inflight} (400)
 * @param maxMutatingRequestsInflight {@code --max-mutating-requests-inflight} (200)
 * @param requestWaitLimit how long a request may wait in a queue before it is refused with 429;
 *     Kubernetes allows a quarter of the request timeout (60s), 15s
 */
@ConfigurationProperties("nauta.flowcontrol")
public record FlowControlProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("400") int maxRequestsInflight,
    @DefaultValue("200") int maxMutatingRequestsInflight,
    @DefaultValue("15s") Duration requestWaitLimit) {

  int serverConcurrencyLimit() {
    return maxRequestsInflight + maxMutatingRequestsInflight;
  }
}
