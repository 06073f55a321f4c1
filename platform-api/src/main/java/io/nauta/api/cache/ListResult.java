package io.nauta.api.cache;

import java.util.List;

/**
 * A page of a list.
 *
 * @param resourceVersion the cache's resourceVersion the page was read at
 * @param continueToken where the next page starts, or null on the last page
 * @param remainingItemCount how many matching objects follow this page, or null on the last page
 */
public record ListResult(
    long resourceVersion,
    List<CachedObject> items,
    String continueToken,
    Long remainingItemCount) {}
