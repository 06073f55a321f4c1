package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Containers on a {@link FakeDocker}, kept as the engine keeps them: created with their labels and
 * address, started, stopped, taken off the node's network, removed. Enough of Docker for the
 * runtime's own logic; the real engine is the ITs' business.
 */
final class FakeEngine {

  static final class Ctr {
    final String id;
    final Map<String, String> labels;
    final String image;
    final String ip;
    String state = "created";
    int exitCode;
    boolean onNetwork = true;

    Ctr(String id, Map<String, String> labels, String image, String ip) {
      this.id = id;
      this.labels = labels;
      this.image = image;
      this.ip = ip;
    }
  }

  final FakeDocker docker = new FakeDocker();
  final Map<String, Ctr> containers = new java.util.concurrent.ConcurrentHashMap<>();

  /** Containers (by name in the pod spec) that ignore SIGTERM. */
  final java.util.Set<String> ignoreSigterm = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final String network;
  private int next;

  @SuppressWarnings("unchecked")
  FakeEngine(String node) {
    this.network = "nauta-" + node;
    docker
        .on(
            "listContainersCmd",
            call -> {
              Map<String, String> filter = (Map<String, String>) call.with("withLabelFilter");
              return containers.values().stream()
                  .filter(c -> filter == null || c.labels.entrySet().containsAll(filter.entrySet()))
                  .map(this::listed)
                  .toList();
            })
        .on(
            "inspectContainerCmd",
            call -> {
              Ctr c = containers.get((String) call.args().get(0));
              return c == null
                  ? new com.github.dockerjava.api.exception.NotFoundException("No such container")
                  : inspected(c);
            })
        .on(
            "createContainerCmd",
            call -> {
              String id = "c" + (++next);
              HostConfig host = (HostConfig) call.with("withHostConfig");
              boolean sandbox = host != null && network.equals(host.getNetworkMode());
              containers.put(
                  id,
                  new Ctr(
                      id,
                      new HashMap<>((Map<String, String>) call.with("withLabels")),
                      (String) call.args().get(0),
                      sandbox ? (String) call.with("withIpv4Address") : null));
              return FakeDocker.json(Map.of("Id", id), CreateContainerResponse.class);
            })
        .on(
            "startContainerCmd",
            call -> {
              containers.get((String) call.args().get(0)).state = "running";
              return null;
            })
        .on(
            "stopContainerCmd",
            call -> {
              Ctr c = containers.get((String) call.args().get(0));
              if (c != null && c.state.equals("running")) {
                c.state = "exited";
                c.exitCode = 137;
              }
              return null;
            })
        .on(
            "listVolumesCmd",
            call ->
                FakeDocker.json(
                    Map.of("Volumes", List.of()),
                    com.github.dockerjava.api.command.ListVolumesResponse.class))
        .on(
            "killContainerCmd",
            call -> {
              Ctr c = containers.get((String) call.args().get(0));
              boolean term = "SIGTERM".equals(call.with("withSignal"));
              if (c == null) {
                return new com.github.dockerjava.api.exception.NotFoundException(
                    "No such container");
              }
              if (!c.state.equals("running")) {
                return new com.github.dockerjava.api.exception.ConflictException("is not running");
              }
              if (!term || !ignoreSigterm.contains(c.labels.get(DockerLabels.CONTAINER_NAME))) {
                c.state = "exited";
                c.exitCode = term ? 0 : 137;
              }
              return null;
            })
        .on(
            "disconnectFromNetworkCmd",
            call -> {
              containers.get((String) call.with("withContainerId")).onNetwork = false;
              return null;
            })
        .on(
            "removeContainerCmd",
            call -> {
              containers.remove((String) call.args().get(0));
              return null;
            });
  }

  /** The node's containers of one name in the pod spec ({@code POD} for the sandbox). */
  List<Ctr> named(String name) {
    return containers.values().stream()
        .filter(c -> name.equals(c.labels.get(DockerLabels.CONTAINER_NAME)))
        .toList();
  }

  private Map<String, Object> networks(Ctr c) {
    if (c.ip == null || !c.onNetwork) {
      return Map.of();
    }
    Map<String, Object> address = new HashMap<>();
    address.put("IPAddress", c.state.equals("running") ? c.ip : "");
    address.put("IPAMConfig", Map.of("IPv4Address", c.ip));
    return Map.of(network, address);
  }

  private Container listed(Ctr c) {
    return FakeDocker.json(
        Map.of(
            "Id",
            c.id,
            "Labels",
            c.labels,
            "State",
            c.state,
            "NetworkSettings",
            Map.of("Networks", networks(c))),
        Container.class);
  }

  private InspectContainerResponse inspected(Ctr c) {
    return FakeDocker.json(
        Map.of(
            "Id",
            c.id,
            "Created",
            "2026-01-01T10:00:00Z",
            "Image",
            "sha256:0123",
            "Config",
            Map.of("Labels", c.labels, "Image", c.image),
            "State",
            Map.of(
                "Status",
                c.state,
                "Running",
                c.state.equals("running"),
                "ExitCode",
                c.exitCode,
                "StartedAt",
                "2026-01-01T10:00:00Z",
                "FinishedAt",
                "0001-01-01T00:00:00Z"),
            "NetworkSettings",
            Map.of("Networks", networks(c))),
        InspectContainerResponse.class);
  }
}
