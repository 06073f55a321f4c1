package io.nauta.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.support.TestApiServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kept-alive HTTP/1.1 connections stay read. Reactor Netty 1.3.6/1.3.7 stopped reading a connection
 * when a request arrived before the previous exchange had ended and was then answered at once
 * (reactor-netty #4361, fixed in 1.3.8): kubectl's DELETE, GET, LIST, WATCH on one connection left
 * the watch unanswered and {@code kubectl delete} waiting forever. This drives that shape on a raw
 * socket — a slow request and a quick one written together, then a third — as the issue's
 * reproducer does, and the delete/get/list/watch sequence kubectl sends, many times over.
 */
class KeepAliveIT {

  private static final int READ_TIMEOUT_MS = 10_000;

  private static TestApiServer server;

  @BeforeAll
  static void start() {
    server = TestApiServer.startOnEmptyRedis();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersTheRequestAfterAQueuedOneThatCompletedAtOnce() throws IOException {
    for (int round = 0; round < 20; round++) {
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        // The watch ends after a second; /version is answered at once but must wait its turn.
        out.write(
            (get("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1")
                    + get("/version"))
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readResponse(in).status()).isEqualTo(200);
        assertThat(readResponse(in).status()).isEqualTo(200);

        out.write(get("/version").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Response third = readResponse(in);
        assertThat(third.status())
            .as("third request on the connection, round %d", round)
            .isEqualTo(200);
        assertThat(third.body()).contains("gitVersion");
      }
    }
  }

  @Test
  void servesKubectlDeleteSequenceOnOneConnection() throws IOException {
    String cms = "/api/v1/namespaces/default/configmaps";
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int i = 0; i < 10; i++) {
        String name = "ka-" + i;
        String body =
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                + name
                + "\"}}";
        out.write(request("POST", cms, body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readResponse(in).status()).isEqualTo(201);

        // kubectl delete --wait: DELETE, GET, LIST with a field selector, then WATCH from it.
        out.write(request("DELETE", cms + "/" + name, null).getBytes(StandardCharsets.US_ASCII));
        out.write(get(cms + "/" + name).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readResponse(in).status()).isEqualTo(200);
        assertThat(readResponse(in).status()).isEqualTo(404);
        out.write(
            get(cms + "?fieldSelector=metadata.name%3D" + name)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Response list = readResponse(in);
        assertThat(list.status()).isEqualTo(200);
        String rv = list.body().replaceAll("(?s).*\"resourceVersion\":\"(\\d+)\".*", "$1");
        out.write(
            get(cms
                    + "?fieldSelector=metadata.name%3D"
                    + name
                    + "&resourceVersion="
                    + rv
                    + "&watch=true&timeoutSeconds=1")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readResponse(in).status()).as("watch %d", i).isEqualTo(200);
      }
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = server.openSocket();
    socket.setSoTimeout(READ_TIMEOUT_MS);
    return socket;
  }

  private static String get(String path) {
    return request("GET", path, null);
  }

  private static String request(String method, String path, String body) {
    StringBuilder r =
        new StringBuilder(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n");
    if (body != null) {
      r.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n\r\n")
          .append(body);
    } else {
      r.append("\r\n");
    }
    return r.toString();
  }

  private record Response(int status, String body) {}

  /** Reads one HTTP/1.1 response (Content-Length or chunked); a stalled connection times out. */
  private static Response readResponse(InputStream in) throws IOException {
    try {
      String statusLine = readLine(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      List<String> headers = new ArrayList<>();
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        headers.add(line.toLowerCase(Locale.ROOT));
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      String length = header(headers, "content-length");
      if (length != null) {
        body.write(in.readNBytes(Integer.parseInt(length)));
      } else if ("chunked".equals(header(headers, "transfer-encoding"))) {
        for (int size = Integer.parseInt(readLine(in).trim(), 16);
            size > 0;
            size = Integer.parseInt(readLine(in).trim(), 16)) {
          body.write(in.readNBytes(size));
          readLine(in);
        }
        readLine(in);
      }
      return new Response(status, body.toString(StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no response within " + READ_TIMEOUT_MS + " ms: the connection stalled", e);
    }
  }

  private static String header(List<String> headers, String name) {
    for (String h : headers) {
      if (h.startsWith(name + ":")) {
        return h.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed by the server after: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
