package io.nauta.core.component;

import io.nauta.core.client.ClientRateLimit;
import org.springframework.core.env.Environment;

/**
 * A component's API client settings ({@code nauta.client.*}), the same names in every component.
 *
 * @param qps requests per second the component's client may start on average (client-go's QPS,
 *     kube-controller-manager's {@code --kube-api-qps}); 0 or less: no limit; unset: the
 *     component's default ({@link ComponentSettings#rateLimit()})
 * @param burst requests it may start at once after a quiet spell ({@code --kube-api-burst}); unset:
 *     the component's default burst, or twice {@code qps} when only {@code qps} is set
 */
public record ClientProperties(Double qps, Integer burst) {

  /**
   * {@code nauta.client.qps} and {@code nauta.client.burst} as {@code env} has them (a command-line
   * argument, {@code NAUTA_CLIENT_QPS} in the environment, a component's YAML).
   */
  public static ClientProperties from(Environment env) {
    return new ClientProperties(
        env.getProperty("nauta.client.qps", Double.class),
        env.getProperty("nauta.client.burst", Integer.class));
  }

  /** The limit these settings give a component whose own default is {@code defaults}. */
  public ClientRateLimit rateLimit(ClientRateLimit defaults) {
    if (qps == null && burst == null) {
      return defaults;
    }
    double q = qps != null ? qps : defaults.qps();
    if (q <= 0) {
      return ClientRateLimit.UNLIMITED;
    }
    int b =
        burst != null
            ? burst
            : qps != null ? (int) Math.max(1, Math.ceil(2 * q)) : defaults.burst();
    return new ClientRateLimit(q, b);
  }
}
