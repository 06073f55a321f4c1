package io.nauta.core.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where the API server is and how to authenticate to it.
 *
 * @param server base URL, e.g. {@code http://127.0.0.1:6443}
 * @param token bearer token, or {@code null}
 * @param namespace the default namespace of the kubeconfig context, {@code default} otherwise
 */
public record ClientConfig(String server, String token, String namespace) {

  public ClientConfig {
    if (server == null || server.isBlank()) {
      throw new IllegalArgumentException("server URL is required");
    }
    server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  /**
   * How a component's settings name its API server: a kubeconfig file when one is given (not
   * blank), else the URL with an optional token (blank for none).
   */
  public static ClientConfig fromSettings(String kubeconfig, String server, String token) {
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return fromKubeconfig(Path.of(kubeconfig));
    }
    return fromUrl(server, token == null || token.isBlank() ? null : token);
  }

  public static ClientConfig fromUrl(String server) {
    return new ClientConfig(server, null, null);
  }

  public static ClientConfig fromUrl(String server, String token) {
    return new ClientConfig(server, token, null);
  }

  /**
   * Reads the current context of a kubeconfig file: its cluster's {@code server}, its user's {@code
   * token} (or {@code tokenFile}) and its namespace. Client certificates are not supported.
   */
  public static ClientConfig fromKubeconfig(Path file) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String current = root.path("current-context").asString("");
    JsonNode context = named(root.path("contexts"), current).path("context");
    JsonNode cluster =
        named(root.path("clusters"), context.path("cluster").asString("")).path("cluster");
    JsonNode user = named(root.path("users"), context.path("user").asString("")).path("user");
    String token = user.path("token").asString(null);
    if (token == null && user.hasNonNull("tokenFile")) {
      try {
        token = Files.readString(Path.of(user.get("tokenFile").asString())).trim();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String server = cluster.path("server").asString(null);
    if (server == null) {
      throw new IllegalArgumentException(
          "kubeconfig " + file + ": no server for context \"" + current + "\"");
    }
    return new ClientConfig(server, token, context.path("namespace").asString(null));
  }

  private static JsonNode named(JsonNode entries, String name) {
    for (JsonNode entry : entries) {
      if (name.equals(entry.path("name").asString(""))) {
        return entry;
      }
    }
    // A kubeconfig without current-context but with one entry: use it, as kubectl would not, but
    // failing here would only make the caller spell out what is unambiguous.
    return entries.size() == 1 && name.isEmpty() ? entries.get(0) : entries.path(-1);
  }
}
