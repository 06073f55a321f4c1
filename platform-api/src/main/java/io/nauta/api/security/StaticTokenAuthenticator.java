package io.nauta.api.security;

import io.nauta.api.authentication.TokenAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Tokens from a static file, as kube-apiserver's {@code --token-auth-file}: one CSV line per token,
 * {@code token,user,uid,"group1,group2"} (the groups column optional). Read once at start. A token
 * not in the file is not this authenticator's: a later one may know it. A static token names no
 * audience: a TokenReview finds it good for the API server's own audiences only ({@link
 * TokenAuthenticator#audienceAgnostic}).
 */
public class StaticTokenAuthenticator implements Authenticator, TokenAuthenticator {

  private final Map<String, UserInfo> users;
  private final List<String> apiAudiences;

  StaticTokenAuthenticator(Map<String, UserInfo> users, List<String> apiAudiences) {
    this.users = Map.copyOf(users);
    this.apiAudiences = List.copyOf(apiAudiences);
  }

  /**
   * @param apiAudiences the API server's audiences, the only ones a static token is good for
   */
  public static StaticTokenAuthenticator fromFile(Path file, List<String> apiAudiences) {
    try {
      return new StaticTokenAuthenticator(parse(Files.readAllLines(file)), apiAudiences);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, UserInfo> parse(List<String> lines) {
    Map<String, UserInfo> users = new HashMap<>();
    int number = 0;
    for (String line : lines) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = csvFields(line);
      if (fields.size() < 3) {
        throw new IllegalArgumentException(
            "token file: line " + number + " has fewer than 3 fields (token,user,uid)");
      }
      if (fields.get(0).isEmpty()) {
        continue;
      }
      List<String> groups = new ArrayList<>();
      if (fields.size() > 3) {
        for (String g : fields.get(3).split(",")) {
          if (!g.isBlank()) {
            groups.add(g.trim());
          }
        }
      }
      users.put(fields.get(0), new UserInfo(fields.get(1), fields.get(2), groups, Map.of()));
    }
    return users;
  }

  // RFC 4180 fields: quoted fields may hold commas and doubled quotes.
  private static List<String> csvFields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  @Override
  public Mono<UserInfo> authenticate(ServerHttpRequest request) {
    String token = BearerTokens.of(request);
    return token == null
        ? Mono.empty()
        : authenticateToken(token, apiAudiences).map(Authenticated::user);
  }

  @Override
  public Mono<Authenticated> authenticateToken(String token, List<String> audiences) {
    UserInfo user = users.get(token);
    return user == null
        ? Mono.empty()
        : TokenAuthenticator.audienceAgnostic(apiAudiences, audiences, Mono.just(user));
  }
}
