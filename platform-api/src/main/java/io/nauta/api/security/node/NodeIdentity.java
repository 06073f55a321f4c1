package io.nauta.api.security.node;

import io.nauta.api.security.UserInfo;
import java.util.Optional;

/**
 * Kubernetes' default {@code NodeIdentifier}: a user is a node when its name starts with {@code
 * system:node:} and it is in the group {@code system:nodes}; the rest of the name is the node's.
 * Both the Node authorizer and NodeRestriction admission ask this, so they agree on who is a node.
 */
public final class NodeIdentity {

  public static final String USER_PREFIX = "system:node:";
  public static final String NODES_GROUP = "system:nodes";

  private NodeIdentity() {}

  /**
   * The node name of a node user (possibly empty: {@code system:node:} alone is a node that cannot
   * be told apart, and is refused), or empty when the user is no node at all.
   */
  public static Optional<String> nodeName(UserInfo user) {
    if (user == null
        || !user.name().startsWith(USER_PREFIX)
        || !user.groups().contains(NODES_GROUP)) {
      return Optional.empty();
    }
    return Optional.of(user.name().substring(USER_PREFIX.length()));
  }
}
