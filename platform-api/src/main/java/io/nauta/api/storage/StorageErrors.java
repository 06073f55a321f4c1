package io.nauta.api.storage;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.nauta.core.errors.ApiException;
import io.nauta.core.errors.InternalErrorException;
import io.nauta.core.errors.ResourceRef;
import io.nauta.core.errors.ServiceUnavailableException;
import io.nauta.core.errors.TimeoutException;

/**
 * Turns a failed Redis call into the {@code Status} a client understands. A timed-out write may or
 * may not have happened, so it is 504 Timeout as the Kubernetes apiserver answers when etcd does
 * not reply. Either way the write ran once or not at all: a client that retries finds out (409 if
 * it did happen).
 */
final class StorageErrors {

  private StorageErrors() {}

  /**
   * Errors of a Redis that is not (or no longer, or not yet) the writable master: a replica ({@code
   * READONLY}), a master that lost its replicas under {@code min-replicas-to-write} ({@code
   * NOREPLICAS}), a replica cut off from its master ({@code MASTERDOWN}), one still loading its
   * data ({@code LOADING}). Redis refused the command before it changed anything, and the next
   * attempt may well succeed: 503, not 500.
   */
  private static boolean refusedWhileFailingOver(String message) {
    if (message == null) {
      return false;
    }
    // A script's error carries the script's context after the code.
    for (String code : new String[] {"READONLY", "NOREPLICAS", "MASTERDOWN", "LOADING"}) {
      if (message.startsWith(code + " ") || message.contains("ERR " + code + " ")) {
        return true;
      }
    }
    return false;
  }

  static Throwable translate(Throwable e, ResourceRef target) {
    if (e instanceof ApiException) {
      return e;
    }
    if (e instanceof RedisCommandTimeoutException) {
      return new TimeoutException(
          "Timeout: the storage did not answer in time; the request may or may not have taken"
              + " effect",
          target);
    }
    if (e instanceof RedisConnectionException) {
      return new ServiceUnavailableException("storage is unavailable: " + e.getMessage(), target);
    }
    if (e instanceof RedisException && refusedWhileFailingOver(e.getMessage())) {
      return new ServiceUnavailableException(
          "storage is failing over, try again: " + e.getMessage(), target);
    }
    if (e instanceof RedisException) {
      return new InternalErrorException("storage error: " + e.getMessage(), target);
    }
    return e;
  }
}
