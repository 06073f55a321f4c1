package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** Connects docker-java to an engine. */
public final class DockerClients {

  /** The engine each client connects to, for the streams opened beside docker-java. */
  private static final Map<DockerClient, URI> HOSTS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private DockerClients() {}

  /**
   * The engine {@code docker} connects to: the host it was {@link #connect connected} with, else
   * the default ({@code DOCKER_HOST}, else the local socket).
   */
  static URI host(DockerClient docker) {
    URI host = HOSTS.get(docker);
    return host != null
        ? host
        : DefaultDockerClientConfig.createDefaultConfigBuilder().build().getDockerHost();
  }

  /**
   * @param host e.g. {@code unix:///var/run/docker.sock}; blank: {@code DOCKER_HOST}, else that
   *     socket
   * @param apiVersion e.g. {@code 1.41}; blank: the system property {@code api.version} if set,
   *     else none, and the engine answers with its own (newest) version
   */
  public static DockerClient connect(String host, String apiVersion) {
    DefaultDockerClientConfig.Builder config =
        DefaultDockerClientConfig.createDefaultConfigBuilder();
    if (host != null && !host.isBlank()) {
      config.withDockerHost(host);
    }
    if (apiVersion != null && !apiVersion.isBlank()) {
      config.withApiVersion(apiVersion);
    }
    DefaultDockerClientConfig built = config.build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(built.getDockerHost())
            .sslConfig(built.getSSLConfig())
            .maxConnections(64)
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMinutes(6))
            .build();
    DockerClient client = DockerClientImpl.getInstance(built, http);
    HOSTS.put(client, built.getDockerHost());
    return client;
  }
}
