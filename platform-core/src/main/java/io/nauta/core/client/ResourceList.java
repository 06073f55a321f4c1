package io.nauta.core.client;

import java.util.List;

/**
 * One page of a list: its items, the resourceVersion the list was read at (where a watch starts)
 * and the token for the next page ({@code null} on the last).
 */
public record ResourceList<T>(List<T> items, String resourceVersion, String continueToken) {

  public boolean hasMore() {
    return continueToken != null && !continueToken.isEmpty();
  }
}
