package io.nauta.api.security;

import io.nauta.api.authentication.TokenAuthenticator;
import io.nauta.api.cache.CachedObject;
import io.nauta.api.cache.ObjectFilter;
import io.nauta.api.cache.WatchCaches;
import io.nauta.core.registry.BuiltInResources;
import io.nauta.core.selector.FieldSelector;
import io.nauta.core.selector.LabelSelector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Bootstrap tokens, as Kubernetes' bootstrap token authenticator: a token {@code <id>.<secret>}
 * ({@code [a-z0-9]{6}.[a-z0-9]{16}}) is user {@code system:bootstrap:<id>} in {@code
 * system:bootstrappers} (plus the Secret's {@code auth-extra-groups}) while the Secret {@code
 * kube-system/bootstrap-token-<id>} of type {@code bootstrap.kubernetes.io/token} exists, is not
 * being deleted, holds that id and secret, has not reached its {@code expiration} and allows {@code
 * usage-bootstrap-authentication}. Anything else is "not mine", as there: the request ends 401
 * unless another authenticator knows the token. The Secret is read from the watch cache.
 *
 * <p>A bootstrap token names no audience: a TokenReview finds it good for the API server's own
 * audiences only ({@link TokenAuthenticator#audienceAgnostic}).
 */
public class BootstrapTokenAuthenticator implements Authenticator, TokenAuthenticator {

  static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
  static final String GROUP = "system:bootstrappers";
  private static final Pattern TOKEN = Pattern.compile("^([a-z0-9]{6})\\.([a-z0-9]{16})$");
  private static final Pattern EXTRA_GROUP =
      Pattern.compile("^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$");

  private final WatchCaches caches;
  private final Clock clock;
  private final List<String> apiAudiences;

  /**
   * @param apiAudiences the API server's audiences, the only ones a bootstrap token is good for
   */
  public BootstrapTokenAuthenticator(WatchCaches caches, Clock clock, List<String> apiAudiences) {
    this.caches = caches;
    this.clock = clock;
    this.apiAudiences = List.copyOf(apiAudiences);
  }

  @Override
  public Mono<UserInfo> authenticate(ServerHttpRequest request) {
    String token = BearerTokens.of(request);
    if (token == null) {
      return Mono.empty();
    }
    return authenticateToken(token, apiAudiences).map(Authenticated::user);
  }

  @Override
  public Mono<Authenticated> authenticateToken(String token, List<String> audiences) {
    Matcher m = TOKEN.matcher(token);
    if (!m.matches()) {
      return Mono.empty();
    }
    return TokenAuthenticator.audienceAgnostic(
        apiAudiences, audiences, Mono.fromCallable(() -> userOf(m.group(1), m.group(2))));
  }

  private UserInfo userOf(String id, String secret) {
    ObjectFilter filter =
        new ObjectFilter(
            "kube-system",
            LabelSelector.everything(),
            FieldSelector.parse("metadata.name=bootstrap-token-" + id, "Secret"));
    List<CachedObject> found = caches.get(BuiltInResources.SECRETS).list(filter, 1, null).items();
    if (found.isEmpty()) {
      return null;
    }
    JsonNode object = found.get(0).node();
    JsonNode data = object.path("data");
    if (object.path("metadata").hasNonNull("deletionTimestamp")
        || !SECRET_TYPE.equals(object.path("type").asString(""))
        || !data.isObject()) {
      return null;
    }
    if (!MessageDigest.isEqual(bytes(data, "token-secret"), secret.getBytes(StandardCharsets.UTF_8))
        || !id.equals(string(data, "token-id"))
        || expired(string(data, "expiration"))
        || !"true".equals(string(data, "usage-bootstrap-authentication"))) {
      return null;
    }
    List<String> groups = new ArrayList<>(List.of(GROUP));
    String extra = string(data, "auth-extra-groups");
    if (extra != null) {
      for (String g : extra.split(",")) {
        String group = g.trim();
        if (group.isEmpty()) {
          continue;
        }
        if (!EXTRA_GROUP.matcher(group).matches()) {
          return null;
        }
        if (!groups.contains(group)) {
          groups.add(group);
        }
      }
    }
    return new UserInfo("system:bootstrap:" + id, groups);
  }

  private boolean expired(String expiration) {
    if (expiration == null || expiration.isEmpty()) {
      return false;
    }
    try {
      return !clock.instant().isBefore(OffsetDateTime.parse(expiration).toInstant());
    } catch (DateTimeParseException e) {
      // An expiration that does not parse cannot be honoured: treat the token as expired.
      return true;
    }
  }

  private static byte[] bytes(JsonNode data, String key) {
    String value = data.path(key).asString(null);
    if (value == null) {
      return new byte[0];
    }
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static String string(JsonNode data, String key) {
    return data.has(key) ? new String(bytes(data, key), StandardCharsets.UTF_8) : null;
  }
}
