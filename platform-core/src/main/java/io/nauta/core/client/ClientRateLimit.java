package io.nauta.core.client;

/**
 * How many requests a client may start per second on average ({@code qps}) and at once after a
 * quiet spell ({@code burst}), as client-go's {@code rest.Config} QPS and Burst
 * (kube-controller-manager's {@code --kube-api-qps}/{@code --kube-api-burst}). A {@code qps} of 0
 * or less means no limit.
 */
public record ClientRateLimit(double qps, int burst) {

  public static final ClientRateLimit UNLIMITED = new ClientRateLimit(0, 0);

  public ClientRateLimit {
    if (Double.isNaN(qps) || Double.isInfinite(qps)) {
      throw new IllegalArgumentException("qps must be a finite number, not " + qps);
    }
    if (qps > 0 && burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1 when qps is set, not " + burst);
    }
  }

  public boolean limited() {
    return qps > 0;
  }

  /** {@code times} this limit (an agent of several nodes: each node's allowance). */
  public ClientRateLimit times(int factor) {
    return limited() ? new ClientRateLimit(qps * factor, burst * factor) : this;
  }

  @Override
  public String toString() {
    return limited() ? "qps " + qps + ", burst " + burst : "unlimited";
  }
}
