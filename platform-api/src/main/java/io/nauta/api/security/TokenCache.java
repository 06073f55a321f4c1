package io.nauta.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users of recently accepted bearer tokens, so a client sending the same token request after
 * request is authenticated once per {@code ttl} (Kubernetes' token cache: successes kept 10 s,
 * failures not kept). Keys are SHA-256 digests: the tokens themselves are not kept in memory here.
 */
final class TokenCache {

  private static final int MAX_ENTRIES = 10_000;

  private record Entry(UserInfo user, long expiresAtMillis) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Clock clock;

  TokenCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  UserInfo get(String token) {
    if (ttl.isZero()) {
      return null;
    }
    String key = digest(token);
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (e.expiresAtMillis() <= clock.millis()) {
      entries.remove(key, e);
      return null;
    }
    return e.user();
  }

  void put(String token, UserInfo user) {
    if (ttl.isZero()) {
      return;
    }
    long now = clock.millis();
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> e.expiresAtMillis() <= now);
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(digest(token), new Entry(user, now + ttl.toMillis()));
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
