package io.nauta.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.nauta.agent.probes.ProbeResult;
import io.nauta.agent.probes.ProbeTarget;
import io.nauta.agent.probes.Prober;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  private final DockerClient docker;
  private final HttpClient http;

  DockerProber(DockerClient docker) {
    this.docker = docker;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(trustAll())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @Override
  public Mono<ProbeResult> probe(Probe probe, ProbeTarget target, Duration timeout) {
    return Mono.defer(() -> run(probe, target, timeout)).onErrorReturn(ProbeResult.FAILURE);
  }

  private Mono<ProbeResult> run(Probe probe, ProbeTarget target, Duration timeout) {
    Mono<ProbeResult> run;
    if (probe.getExec() != null) {
      run = DockerRuntime.blocking(() -> exec(probe.getExec().getCommand(), target, timeout));
    } else if (probe.getHttpGet() != null) {
      run = httpGet(probe.getHttpGet(), target, timeout);
    } else if (probe.getTcpSocket() != null) {
      String host = probe.getTcpSocket().getHost();
      int port = port(probe.getTcpSocket().getPort(), target);
      run =
          DockerRuntime.blocking(
              () -> tcp(host == null || host.isBlank() ? target.podIp() : host, port, timeout));
    } else {
      log.warn("probe of container " + target.containerId() + " has no action Nauta runs yet");
      run = Mono.just(ProbeResult.FAILURE);
    }
    return run;
  }

  private ProbeResult exec(java.util.List<String> command, ProbeTarget target, Duration timeout)
      throws InterruptedException {
    String execId =
        docker
            .execCreateCmd(target.containerId())
            .withCmd(command.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    try (ResultCallback.Adapter<Frame> done =
        docker.execStartCmd(execId).exec(new ResultCallback.Adapter<>())) {
      if (!done.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return ProbeResult.FAILURE;
      }
    } catch (java.io.IOException e) {
      return ProbeResult.FAILURE;
    }
    Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
    return code != null && code == 0 ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
  }

  private Mono<ProbeResult> httpGet(HTTPGetAction get, ProbeTarget target, Duration timeout) {
    String scheme = "HTTPS".equalsIgnoreCase(get.getScheme()) ? "https" : "http";
    String host = get.getHost() == null || get.getHost().isBlank() ? target.podIp() : get.getHost();
    String path = get.getPath() == null || get.getPath().isBlank() ? "/" : get.getPath();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(scheme + "://" + host + ":" + port(get.getPort(), target) + path))
            .timeout(timeout)
            .header("User-Agent", "kube-probe/nauta");
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
                    ? ProbeResult.SUCCESS
                    : ProbeResult.FAILURE)
        .timeout(timeout, Mono.just(ProbeResult.FAILURE));
  }

  private static ProbeResult tcp(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return ProbeResult.SUCCESS;
    } catch (java.io.IOException e) {
      return ProbeResult.FAILURE;
    }
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
