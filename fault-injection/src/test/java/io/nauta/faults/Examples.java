package io.nauta.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.faults.QuickStartIT.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every manifest of {@code deploy/examples}, applied with real kubectl to a Nauta that {@code
 * deploy/nauta up} started on Docker, and held to what {@code deploy/examples/README.md} promises:
 * deployments available, probes gating readiness and restarting, a ConfigMap and a Secret visible
 * as env and files in the container, a GPU pod Pending for want of {@code nvidia.com/gpu} and bound
 * to the GPU node once it exists, the web counter reaching Redis by its Service name, the Job
 * Complete, the StatefulSet's pod Running with its claim Bound, the Ingress routing web.example to
 * web through the ingress controller, the HPA able to scale; then everything deleted and gone. The
 * examples are applied at once and checked side by side (one {@code kubectl wait} per kind of
 * promise), so the whole costs about as long as the slowest example.
 *
 * <p>The commands run through {@link QuickStartIT}'s shell (bash in the fresh checkout, with the
 * README's {@code export KUBECONFIG}), so paths are the README's: {@code deploy/examples/...}.
 */
final class Examples {

  static final String NAMESPACE = "examples";

  /** The files this class exercises: a new example must be added here (and to the README). */
  static final Set<String> FILES =
      Set.of(
          "web.yaml",
          "probes.yaml",
          "config.yaml",
          "gpu-pod.yaml",
          "gpu-node.yaml",
          "redis-app.yaml",
          "job.yaml",
          "statefulset.yaml",
          "ingress.yaml",
          "hpa.yaml");

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern HITS = Pattern.compile("hits: (\\d+)");

  private final BiFunction<String, Duration, Result> shell;
  private final String k = "kubectl -n " + NAMESPACE + " ";

  /**
   * @param shell runs a command in the checkout and returns its result
   */
  Examples(BiFunction<String, Duration, Result> shell) {
    this.shell = shell;
  }

  /** Checks that every file in the directory is one this class exercises and the README lists. */
  static void assertAllCovered(Path dir) throws IOException {
    Set<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(files).as("deploy/examples/*.yaml, each exercised by Examples").isEqualTo(FILES);
    String readme = Files.readString(dir.resolve("README.md"));
    for (String file : files) {
      assertThat(readme).as("deploy/examples/README.md lists " + file).contains("(" + file + ")");
      String first = Files.readString(dir.resolve(file)).lines().findFirst().orElse("");
      assertThat(first)
          .as(file + " starts with a one-line comment on what it shows")
          .startsWith("# ");
    }
  }

  /** Applies every example and checks what each promises; they are left running. */
  void applyAndCheck() {
    ok("kubectl create namespace " + NAMESPACE);
    for (String file : FILES) {
      if (!file.equals("gpu-node.yaml")) {
        ok(k + "apply -f deploy/examples/" + file);
      }
    }

    // No node offers a GPU yet: the pod waits, with the scheduler's reason.
    ok(k + "wait --for=condition=PodScheduled=false pod/gpu-pod --timeout=" + secs(WAIT));
    assertThat(
            ok(
                k
                    + "get pod gpu-pod -o jsonpath="
                    + "'{.status.conditions[?(@.type==\"PodScheduled\")].message}'"))
        .as("gpu-pod without a GPU node")
        .contains("Insufficient nvidia.com/gpu");

    ok(
        k
            + "wait --for=condition=available deploy/web deploy/probes deploy/redis deploy/counter"
            + " deploy/autoscaled --timeout="
            + secs(WAIT));
    // Readiness: not Ready before /ready.html exists, 5 s after the container started.
    String probes = "get pods -l app=probes -o jsonpath='{.items[0].status.";
    Instant started =
        Instant.parse(ok(k + probes + "containerStatuses[0].state.running.startedAt}'").strip());
    Instant ready =
        Instant.parse(
            ok(k + probes + "conditions[?(@.type==\"Ready\")].lastTransitionTime}'").strip());
    assertThat(ready)
        .as("the probes pod Ready at least 4 s after its container started")
        .isAfterOrEqualTo(started.plusSeconds(4));
    // Liveness: its page removed, the container is restarted (checked at the end).
    ok(k + "exec deploy/probes -- rm /www/healthz");

    ok(k + "apply -f deploy/examples/gpu-node.yaml");
    ok(k + "wait --for=jsonpath='{.spec.nodeName}'=gpu-node-1 pod/gpu-pod --timeout=" + secs(WAIT));

    // web behind its Service, reached by name from another pod.
    ok(k + "wait --for=condition=ready pod/config-demo --timeout=" + secs(WAIT));
    assertThat(until("exec config-demo -- wget -qO- -T 2 http://web", "hello from web-"))
        .contains("hello from web-");

    // The ConfigMap and the Secret, as env and as files.
    assertThat(ok(k + "exec config-demo -- sh -c 'echo \"$GREETING|$DB_PASSWORD\"'").strip())
        .isEqualTo("hello from a ConfigMap|s3cr3t-from-a-secret");
    assertThat(ok(k + "exec config-demo -- cat /etc/config/app.properties /etc/secret/password"))
        .contains("color=blue", "size=large", "s3cr3t-from-a-secret");

    // The counter reaches Redis by the Service name redis: each hit one more.
    int first =
        hits(
            until(
                "exec deploy/counter -- wget -qO- -T 5 http://counter/cgi-bin/hits", "hits: \\d"));
    int second = hits(ok(k + "exec deploy/counter -- wget -qO- -T 5 http://counter/cgi-bin/hits"));
    assertThat(second).as("the second hit counted in Redis").isEqualTo(first + 1);

    ok(k + "wait --for=condition=complete job/compute --timeout=" + secs(WAIT));
    assertThat(ok(k + "logs -l job-name=compute").lines().filter(l -> l.endsWith("6 x 7 = 42")))
        .as("the Job's three pods' output")
        .hasSize(3);

    ok(k + "wait --for=condition=ready pod/store-0 --timeout=" + secs(WAIT));
    ok(k + "wait --for=jsonpath='{.status.phase}'=Bound pvc/data-store-0 --timeout=" + secs(WAIT));
    assertThat(ok(k + "get pvc data-store-0 -o jsonpath='{.spec.storageClassName}'"))
        .isEqualTo("nauta-local");
    assertThat(ok(k + "exec store-0 -- cat /data/starts").lines()).hasSize(1);

    assertThat(ok(k + "get ingress web -o jsonpath='{.spec.ingressClassName}'")).isEqualTo("nauta");
    // The ingress controller `up` runs routes web.example to web's pods and says where it is in
    // the Ingress's status; another host gets its 404.
    ok(
        k
            + "wait --for=jsonpath='{.status.loadBalancer.ingress[0].ip}'=127.0.0.1 ingress/web"
            + " --timeout="
            + secs(WAIT));
    String curl = "curl -s -m 5 -H 'Host: %s' http://127.0.0.1:$NAUTA_INGRESS_HTTP_PORT/";
    assertThat(untilShell(curl.formatted("web.example"), "hello from web-"))
        .contains("hello from web-");
    assertThat(ok(curl.formatted("nobody.example") + " -o /dev/null -w '%{http_code}'").strip())
        .isEqualTo("404");
    ok(k + "wait --for=condition=AbleToScale hpa/autoscaled --timeout=" + secs(WAIT));

    ok(
        k
            + "wait --for=jsonpath='{.status.containerStatuses[0].restartCount}'=1 pod -l app=probes"
            + " --timeout="
            + secs(WAIT));
  }

  /** Deletes every example as the README says and waits until nothing of them is left. */
  void deleteAndCheckGone() {
    ok(k + "delete -f deploy/examples/gpu-pod.yaml --force --grace-period=0");
    ok(k + "delete -f deploy/examples/gpu-node.yaml");
    for (String file : FILES) {
      if (!file.startsWith("gpu-")) {
        ok(k + "delete --wait=false -f deploy/examples/" + file);
      }
    }
    String left = "";
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      left =
          ok(k + "get all,pvc,ingress,hpa,secrets,configmaps -o name")
                  .lines()
                  .filter(l -> !l.equals("configmap/kube-root-ca.crt"))
                  .collect(Collectors.joining(" "))
              + ok("kubectl get pv -o jsonpath='{range .items[*]}{.spec.claimRef.namespace}"
                      + " {.metadata.name}{\"\\n\"}{end}'")
                  .lines()
                  .filter(l -> l.startsWith(NAMESPACE + " "))
                  .collect(Collectors.joining(" "))
              + ok("kubectl get nodes -o name")
                  .lines()
                  .filter(l -> l.equals("node/gpu-node-1"))
                  .collect(Collectors.joining(" "));
      if (left.isBlank()) {
        break;
      }
      pause();
    }
    assertThat(left).as("what is left of the examples after they were deleted").isBlank();
    ok("kubectl delete namespace " + NAMESPACE + " --wait=false");
  }

  /** Runs {@code k + command} until its output finds {@code regex} (a service just made, DNS). */
  private String until(String command, String regex) {
    return untilShell(k + command, regex);
  }

  /** Runs the shell command until its output finds {@code regex}. */
  private String untilShell(String command, String regex) {
    Pattern p = Pattern.compile(regex);
    long deadline = System.nanoTime() + WAIT.toNanos();
    Result r;
    do {
      r = shell.apply(command, Duration.ofSeconds(30));
      if (r.exitCode() == 0 && p.matcher(r.output()).find()) {
        return r.output();
      }
      pause();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("`" + r.command() + "` never showed " + regex + ":\n" + r.output());
  }

  private String ok(String command) {
    Result r = shell.apply(command, WAIT.plusSeconds(30));
    assertThat(r.exitCode())
        .as("deploy/examples: `%s` failed (exit %d):%n%s", r.command(), r.exitCode(), r.output())
        .isZero();
    return r.output();
  }

  private static int hits(String output) {
    Matcher m = HITS.matcher(output);
    assertThat(m.find()).as("a hit count in: " + output).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String secs(Duration d) {
    return d.toSeconds() + "s";
  }

  private static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
