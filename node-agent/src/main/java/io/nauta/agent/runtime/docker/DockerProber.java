package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.nauta.agent.probes.ProbeOutcome;
import io.nauta.agent.probes.ProbeTarget;
import io.nauta.agent.probes.Prober;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

/**
 * Probes as the kubelet runs them: {@code exec} in the container (exit code 0 succeeds), {@code
 * httpGet} from the agent to the pod IP (a status from 200 to 399 succeeds; HTTPS certificates are
 * not verified, as the kubelet does not) and {@code tcpSocket} (a connection succeeds). An action
 * that does not finish within the timeout failed.
 */
final class DockerProber implements Prober {

  private static final Log log = LogFactory.getLog(DockerProber.class);

  /** An exec probe's output kept for its failure message (the kubelet keeps 10 KiB). */
  private static final int MAX_OUTPUT = 10 * 1024;

  private final DockerClient docker;
  private final HttpClient http;
  private final DockerThreads threads;

  DockerProber(DockerClient docker, DockerThreads threads) {
    this.docker = docker;
    this.threads = threads;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(trustAll())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @Override
  public Mono<ProbeOutcome> probe(Probe probe, ProbeTarget target, Duration timeout) {
    return Mono.defer(() -> run(probe, target, timeout))
        .onErrorResume(e -> Mono.just(ProbeOutcome.failure(String.valueOf(e.getMessage()))));
  }

  private Mono<ProbeOutcome> run(Probe probe, ProbeTarget target, Duration timeout) {
    Mono<ProbeOutcome> run;
    if (probe.getExec() != null) {
      run = threads.call(() -> exec(probe.getExec().getCommand(), target, timeout));
    } else if (probe.getHttpGet() != null) {
      run = httpGet(probe.getHttpGet(), target, timeout);
    } else if (probe.getTcpSocket() != null) {
      String host = probe.getTcpSocket().getHost();
      int port = port(probe.getTcpSocket().getPort(), target);
      run =
          threads.call(
              () -> tcp(host == null || host.isBlank() ? target.podIp() : host, port, timeout));
    } else {
      log.warn("probe of container " + target.containerId() + " has no action Nauta runs yet");
      run = Mono.just(ProbeOutcome.failure("probe has no action Nauta runs"));
    }
    return run;
  }

  /** Succeeds on exit code 0; the failure's message is the command's output, as the kubelet's. */
  private ProbeOutcome exec(java.util.List<String> command, ProbeTarget target, Duration timeout)
      throws InterruptedException {
    String execId =
        docker
            .execCreateCmd(target.containerId())
            .withCmd(command.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    StringBuilder output = new StringBuilder();
    try (ResultCallback.Adapter<Frame> done =
        docker
            .execStartCmd(execId)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    synchronized (output) {
                      if (output.length() < MAX_OUTPUT) {
                        output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                      }
                    }
                  }
                })) {
      if (!done.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return ProbeOutcome.failure("command \"" + String.join(" ", command) + "\" timed out");
      }
    } catch (java.io.IOException e) {
      return ProbeOutcome.failure(String.valueOf(e.getMessage()));
    }
    Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
    if (code != null && code == 0) {
      return ProbeOutcome.success();
    }
    synchronized (output) {
      return ProbeOutcome.failure(output.toString());
    }
  }

  private Mono<ProbeOutcome> httpGet(HTTPGetAction get, ProbeTarget target, Duration timeout) {
    String scheme = "HTTPS".equalsIgnoreCase(get.getScheme()) ? "https" : "http";
    String host = get.getHost() == null || get.getHost().isBlank() ? target.podIp() : get.getHost();
    String path = get.getPath() == null || get.getPath().isBlank() ? "/" : get.getPath();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    int port = port(get.getPort(), target);
    URI uri = URI.create(scheme + "://" + host + ":" + port + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "kube-probe/nauta");
    if (get.getHttpHeaders() != null) {
      for (HTTPHeader h : get.getHttpHeaders()) {
        request.setHeader(h.getName(), h.getValue());
      }
    }
    return Mono.fromFuture(
            () -> http.sendAsync(request.GET().build(), HttpResponse.BodyHandlers.discarding()))
        .map(
            r ->
                r.statusCode() >= 200 && r.statusCode() < 400
                    ? ProbeOutcome.success()
                    : ProbeOutcome.failure("HTTP probe failed with statuscode: " + r.statusCode()))
        .onErrorResume(
            e ->
                Mono.just(ProbeOutcome.failure("Get \"" + uri + "\": " + dialError(host, port, e))))
        .timeout(timeout, Mono.fromSupplier(() -> httpTimeout(uri)));
  }

  private static ProbeOutcome httpTimeout(URI uri) {
    return ProbeOutcome.failure(
        "Get \""
            + uri
            + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
  }

  private static ProbeOutcome tcp(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return ProbeOutcome.success();
    } catch (java.io.IOException e) {
      return ProbeOutcome.failure(dialError(host, port, e));
    }
  }

  /** A failed connection in the words of Go's dialer, which kubelet events show. */
  private static String dialError(String host, int port, Throwable e) {
    Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    String dial = "dial tcp " + host + ":" + port + ": ";
    if (cause instanceof java.net.ConnectException) {
      return dial + "connect: connection refused";
    }
    if (cause instanceof java.net.SocketTimeoutException
        || cause instanceof java.net.http.HttpTimeoutException) {
      return dial + "i/o timeout";
    }
    return dial + cause.getMessage();
  }

  /** A port number, or the number of the container port of that name. */
  private static int port(IntOrString port, ProbeTarget target) {
    if (port == null) {
      throw new IllegalArgumentException("probe without port");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    for (ContainerPort p : target.ports()) {
      if (name.equals(p.getName())) {
        return p.getContainerPort();
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("no container port named " + name);
    }
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          new SecureRandom());
      return ssl;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
