package io.nauta.api.resource;

import io.nauta.api.cache.ObjectFilter;
import io.nauta.core.errors.FieldError;
import io.nauta.core.errors.InvalidException;
import io.nauta.core.errors.ResourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A list or watch request's options, as Kubernetes' {@code ListOptions} names them.
 *
 * @param filter namespace, label and field selectors
 * @param resourceVersion {@code null} (most recent, consistent), {@code "0"} (any) or a version
 * @param resourceVersionMatch {@code null}, {@code Exact} or {@code NotOlderThan}
 * @param limit page size, 0 for all
 * @param continueToken the token of the previous page
 * @param allowWatchBookmarks whether a watch gets BOOKMARK events
 * @param timeoutSeconds how long a watch stays open, 0 for the server's default
 * @param sendInitialEvents a watch-list's {@code sendInitialEvents}, null when not given
 */
public record ListOptions(
    ObjectFilter filter,
    String resourceVersion,
    String resourceVersionMatch,
    long limit,
    String continueToken,
    boolean allowWatchBookmarks,
    long timeoutSeconds,
    Boolean sendInitialEvents) {

  public static final String EXACT = "Exact";
  public static final String NOT_OLDER_THAN = "NotOlderThan";

  public ListOptions(
      ObjectFilter filter,
      String resourceVersion,
      String resourceVersionMatch,
      long limit,
      String continueToken,
      boolean allowWatchBookmarks,
      long timeoutSeconds) {
    this(
        filter,
        resourceVersion,
        resourceVersionMatch,
        limit,
        continueToken,
        allowWatchBookmarks,
        timeoutSeconds,
        null);
  }

  public ListOptions withFilter(ObjectFilter newFilter) {
    return new ListOptions(
        newFilter,
        resourceVersion,
        resourceVersionMatch,
        limit,
        continueToken,
        allowWatchBookmarks,
        timeoutSeconds,
        sendInitialEvents);
  }

  public ListOptions withSendInitialEvents(Boolean send) {
    return new ListOptions(
        filter,
        resourceVersion,
        resourceVersionMatch,
        limit,
        continueToken,
        allowWatchBookmarks,
        timeoutSeconds,
        send);
  }

  boolean hasResourceVersion() {
    return resourceVersion != null && !resourceVersion.isEmpty();
  }

  boolean hasContinue() {
    return continueToken != null && !continueToken.isEmpty();
  }

  String match() {
    return resourceVersionMatch == null ? "" : resourceVersionMatch;
  }

  /** Kubernetes' {@code ValidateListOptions} for a list: 422 Invalid on ListOptions. */
  void validateForList() {
    List<FieldError> errors = new ArrayList<>();
    String match = match();
    if (!match.isEmpty()) {
      if (!hasResourceVersion()) {
        errors.add(
            FieldError.forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden unless resourceVersion is provided"));
      }
      if (hasContinue()) {
        errors.add(
            FieldError.forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden when continue is provided"));
      }
      if (!match.equals(EXACT) && !match.equals(NOT_OLDER_THAN)) {
        errors.add(
            FieldError.notSupported(
                "resourceVersionMatch",
                match,
                "supported values: \"Exact\", \"NotOlderThan\", \"\""));
      }
      if (match.equals(EXACT) && "0".equals(resourceVersion)) {
        errors.add(
            FieldError.forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
      }
    }
    if (sendInitialEvents != null) {
      errors.add(
          FieldError.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
    }
    throwIfAny(errors);
  }

  /**
   * Kubernetes' {@code validateWatchOptions} with the WatchList feature on (Nauta serves
   * watch-lists).
   */
  void validateForWatch() {
    List<FieldError> errors = new ArrayList<>();
    String match = match();
    if (sendInitialEvents != null && !match.equals(NOT_OLDER_THAN)) {
      errors.add(
          FieldError.forbidden(
              "resourceVersionMatch",
              "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    }
    if (!match.isEmpty()) {
      if (sendInitialEvents == null) {
        errors.add(
            FieldError.forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
      }
      if (!match.equals(NOT_OLDER_THAN)) {
        errors.add(
            FieldError.notSupported(
                "resourceVersionMatch", match, "supported values: \"NotOlderThan\""));
      }
      if (hasContinue()) {
        errors.add(
            FieldError.forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden when continue is provided"));
      }
    }
    throwIfAny(errors);
  }

  private static void throwIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new InvalidException(
          "ListOptions.meta.k8s.io", new ResourceRef("meta.k8s.io", "ListOptions", null), errors);
    }
  }
}
