package io.nauta.core.client;

/**
 * Query parameters of a list or watch. Every field is optional ({@code null}).
 *
 * @param labelSelector e.g. {@code app=web,tier!=db}
 * @param fieldSelector e.g. {@code spec.nodeName=node-1}
 * @param resourceVersion list: {@code 0} for any cached state; watch: where to start
 * @param limit page size of a list
 * @param continueToken the {@code metadata.continue} of the previous page
 * @param timeoutSeconds how long the server keeps a watch open
 * @param allowWatchBookmarks whether a watch may send BOOKMARK events
 */
public record ListOptions(
    String labelSelector,
    String fieldSelector,
    String resourceVersion,
    Long limit,
    String continueToken,
    Long timeoutSeconds,
    boolean allowWatchBookmarks) {

  public static ListOptions none() {
    return new ListOptions(null, null, null, null, null, null, false);
  }

  public static ListOptions labels(String labelSelector) {
    return none().withLabelSelector(labelSelector);
  }

  public ListOptions withLabelSelector(String s) {
    return new ListOptions(
        s,
        fieldSelector,
        resourceVersion,
        limit,
        continueToken,
        timeoutSeconds,
        allowWatchBookmarks);
  }

  public ListOptions withFieldSelector(String s) {
    return new ListOptions(
        labelSelector,
        s,
        resourceVersion,
        limit,
        continueToken,
        timeoutSeconds,
        allowWatchBookmarks);
  }

  public ListOptions withResourceVersion(String rv) {
    return new ListOptions(
        labelSelector,
        fieldSelector,
        rv,
        limit,
        continueToken,
        timeoutSeconds,
        allowWatchBookmarks);
  }

  public ListOptions withLimit(Long l) {
    return new ListOptions(
        labelSelector,
        fieldSelector,
        resourceVersion,
        l,
        continueToken,
        timeoutSeconds,
        allowWatchBookmarks);
  }

  public ListOptions withContinue(String c) {
    return new ListOptions(
        labelSelector,
        fieldSelector,
        resourceVersion,
        limit,
        c,
        timeoutSeconds,
        allowWatchBookmarks);
  }

  public ListOptions withTimeoutSeconds(Long t) {
    return new ListOptions(
        labelSelector,
        fieldSelector,
        resourceVersion,
        limit,
        continueToken,
        t,
        allowWatchBookmarks);
  }

  public ListOptions withBookmarks(boolean b) {
    return new ListOptions(
        labelSelector, fieldSelector, resourceVersion, limit, continueToken, timeoutSeconds, b);
  }
}
