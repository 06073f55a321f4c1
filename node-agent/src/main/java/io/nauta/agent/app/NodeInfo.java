package io.nauta.agent.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code status.nodeInfo} of this machine, and its architecture in Kubernetes' spelling. */
final class NodeInfo {

  /** The version the API server reports, with the agent's suffix. */
  static final String KUBELET_VERSION = "v1.33.0-nauta";

  private static final String BOOT_ID = UUID.randomUUID().toString();

  private NodeInfo() {}

  static String arch() {
    String arch = System.getProperty("os.arch", "amd64");
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  /**
   * @param runtimeVersion {@code containerRuntimeVersion}, e.g. {@code docker://20.10.24}
   */
  static Map<String, String> of(String runtimeVersion) {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("architecture", arch());
    info.put("operatingSystem", "linux");
    info.put("kernelVersion", System.getProperty("os.version", ""));
    info.put("osImage", osImage());
    info.put("containerRuntimeVersion", runtimeVersion);
    info.put("kubeletVersion", KUBELET_VERSION);
    String machineId = read("/etc/machine-id");
    info.put("machineID", machineId);
    info.put("systemUUID", machineId);
    info.put("bootID", BOOT_ID);
    return info;
  }

  private static String osImage() {
    for (String line : read("/etc/os-release").split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        return line.substring("PRETTY_NAME=".length()).replace("\"", "");
      }
    }
    return "Linux";
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (Exception e) {
      return "";
    }
  }
}
