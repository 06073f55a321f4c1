package io.nauta.api.resource;

import io.nauta.api.cache.ObjectFilter;

/**
 * A list or watch request's options, as Kubernetes' {@code ListOptions} names them.
 *
 * @param filter namespace, label and field selectors
 * @param resourceVersion {@code null} (most recent, consistent), {@code "0"} (any) or a version
 * @param limit page size, 0 for all
 * @param continueToken the token of the previous page
 * @param allowWatchBookmarks whether a watch gets BOOKMARK events
 * @param timeoutSeconds how long a watch stays open, 0 for the server's default
 */
public record ListOptions(
    ObjectFilter filter,
    String resourceVersion,
    String resourceVersionMatch,
    long limit,
    String continueToken,
    boolean allowWatchBookmarks,
    long timeoutSeconds) {}
