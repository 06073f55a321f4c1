package io.nauta.agent.auth;

import java.util.List;
import java.util.Map;

/**
 * Who called the agent's port, as the API server told (TokenReview) or the client certificate says:
 * Kubernetes' {@code user.Info}.
 */
public record Caller(
    String name, String uid, List<String> groups, Map<String, List<String>> extra) {

  public Caller {
    uid = uid == null ? "" : uid;
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }
}
