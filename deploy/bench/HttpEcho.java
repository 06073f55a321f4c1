import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The backend of deploy/bench/ingress.sh, standing in for a pod: an HTTP/1.1 server with
 * keep-alive (the JDK's) answering every request with a small fixed body (about 100 bytes, as a
 * health check or a small JSON answer). {@code java HttpEcho.java ADDRESS PORT}.
 */
public final class HttpEcho {
  public static void main(String[] args) throws Exception {
    // Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK add 40 ms to every response.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    byte[] body =
        "{\"service\":\"bench\",\"status\":\"ok\",\"padding\":\"0123456789012345678901234567890123456789\"}\n"
            .getBytes(StandardCharsets.US_ASCII);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 1024);
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    System.out.println("listening on " + args[0] + ":" + args[1]);
  }
}
