package io.nauta.core.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where the API server is and how to authenticate to it.
 *
 * @param server base URL, e.g. {@code https://127.0.0.1:6443}
 * @param token bearer token, or {@code null}
 * @param namespace the default namespace of the kubeconfig context, {@code default} otherwise
 * @param certificateAuthority PEM of the CA(s) the server's certificate must chain to, or {@code
 *     null} for the JDK's default trust
 * @param clientCertificate PEM of the client certificate to present, or {@code null}
 * @param clientKey PEM of its private key, or {@code null}
 * @param insecureSkipTlsVerify accept any server certificate (kubeconfig's {@code
 *     insecure-skip-tls-verify})
 */
public record ClientConfig(
    String server,
    String token,
    String namespace,
    String certificateAuthority,
    String clientCertificate,
    String clientKey,
    boolean insecureSkipTlsVerify) {

  public ClientConfig {
    if (server == null || server.isBlank()) {
      throw new IllegalArgumentException("server URL is required");
    }
    server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs its key, and a key its certificate");
    }
  }

  public ClientConfig(String server, String token, String namespace) {
    this(server, token, namespace, null, null, null, false);
  }

  /** Whether TLS settings beyond the JDK's defaults apply (a CA, a client certificate…). */
  public boolean customTls() {
    return certificateAuthority != null || clientCertificate != null || insecureSkipTlsVerify;
  }

  @Override
  public String toString() {
    // Never print a token or a key (records print every field).
    return "ClientConfig[server=" + server + ", namespace=" + namespace + "]";
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
   * Reads the current context of a kubeconfig file: its cluster's {@code server}, {@code
   * certificate-authority[-data]} and {@code insecure-skip-tls-verify}, its user's {@code token}
   * (or {@code tokenFile}) and {@code client-certificate[-data]}/{@code client-key[-data]}, and its
   * namespace. Relative file paths are relative to the kubeconfig's directory, as in kubectl.
   */
  public static ClientConfig fromKubeconfig(Path file) {
    try {
      return fromKubeconfig(Files.readString(file), file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #fromKubeconfig(Path)} for a kubeconfig's text (e.g. from a Secret), file paths in it
   * relative to {@code base}.
   */
  public static ClientConfig fromKubeconfig(String text, Path base) {
    JsonNode root = new YAMLMapper().readTree(text);
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
      throw new IllegalArgumentException("kubeconfig: no server for context \"" + current + "\"");
    }
    return new ClientConfig(
        server,
        token,
        context.path("namespace").asString(null),
        dataOrFile(cluster, "certificate-authority", base),
        dataOrFile(user, "client-certificate", base),
        dataOrFile(user, "client-key", base),
        cluster.path("insecure-skip-tls-verify").asBoolean(false));
  }

  /** {@code <field>-data} (base64) wins over {@code <field>} (a file), as in client-go. */
  private static String dataOrFile(JsonNode node, String field, Path base) {
    String data = node.path(field + "-data").asString(null);
    if (data != null && !data.isBlank()) {
      return new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
    }
    String path = node.path(field).asString(null);
    if (path == null || path.isBlank()) {
      return null;
    }
    try {
      return Files.readString(base.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
