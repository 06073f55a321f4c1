package io.nauta.agent.exec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes' remote command protocol over WebSocket ({@code wsstream}'s channel protocol), as
 * kubectl 1.30+ speaks it for exec, attach and cp: every binary message starts with its channel's
 * number — 0 stdin, 1 stdout, 2 stderr, 3 the error channel (one {@code Status} as JSON at the
 * end), 4 resize ({@code {"Width":w,"Height":h}}) — and {@code v5.channel.k8s.io} adds 255, the
 * client's "close channel n" signal ({@code [255, n]}), with which stdin ends.
 */
public final class StreamProtocol {

  public static final String V5 = "v5.channel.k8s.io";
  public static final String V4 = "v4.channel.k8s.io";

  /** Spoken, best first (the server picks the first of these the client offers). */
  public static final List<String> PROTOCOLS = List.of(V5, V4);

  public static final int STDIN = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int ERROR = 3;
  public static final int RESIZE = 4;
  public static final int CLOSE = 255;

  private static final JsonMapper json = JsonMapper.builder().build();

  private StreamProtocol() {}

  /** A message for {@code channel}: its number, then the bytes. */
  public static byte[] frame(int channel, byte[] payload) {
    byte[] out = new byte[payload.length + 1];
    out[0] = (byte) channel;
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }

  /** A message received: its channel and the bytes after it. */
  public record Frame(int channel, byte[] payload) {

    /** Null for an empty message (no channel): wsstream ignores those. */
    public static Frame parse(byte[] message) {
      if (message.length == 0) {
        return null;
      }
      return new Frame(message[0] & 0xff, Arrays.copyOfRange(message, 1, message.length));
    }

    /** For {@link #CLOSE}: whether it closes stdin. */
    public boolean closesStdin() {
      return channel == CLOSE && payload.length > 0 && (payload[0] & 0xff) == STDIN;
    }
  }

  /** A resize message's size; null if it is no such JSON. */
  public record Size(int width, int height) {

    public static Size parse(byte[] payload) {
      try {
        JsonNode node = json.readTree(payload);
        return new Size(node.path("Width").asInt(0), node.path("Height").asInt(0));
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  /** The error channel's {@code Status} for a command that ended well. */
  public static byte[] success() {
    return status(statusMap("Success", null, null, null));
  }

  /**
   * The error channel's {@code Status} for a non-zero exit code, as the kubelet writes it: reason
   * {@code NonZeroExitCode} and a cause {@code ExitCode} carrying the code, which kubectl exits
   * with.
   */
  public static byte[] exitCode(List<String> command, int code) {
    Map<String, Object> cause = new LinkedHashMap<>();
    cause.put("reason", "ExitCode");
    cause.put("message", Integer.toString(code));
    return status(
        statusMap(
            "Failure",
            "command terminated with non-zero exit code: error executing command "
                + command.toString().replace(",", "")
                + ", exit code "
                + code,
            "NonZeroExitCode",
            Map.of("causes", List.of(cause))));
  }

  /** The error channel's {@code Status} for a failure (the runtime's or the request's). */
  public static byte[] failure(String message) {
    return status(statusMap("Failure", message, "InternalError", null));
  }

  private static Map<String, Object> statusMap(
      String status, String message, String reason, Map<String, Object> details) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metadata", Map.of());
    m.put("status", status);
    if (message != null) {
      m.put("message", message);
    }
    if (reason != null) {
      m.put("reason", reason);
    }
    if (details != null) {
      m.put("details", details);
    }
    return m;
  }

  private static byte[] status(Map<String, Object> status) {
    return json.writeValueAsBytes(status);
  }
}
