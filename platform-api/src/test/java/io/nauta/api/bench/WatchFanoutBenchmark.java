package io.nauta.api.bench;

import com.sun.management.OperatingSystemMXBean;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.nauta.api.support.TestApiServer;
import io.nauta.core.client.ClientConfig;
import io.nauta.core.client.ClientTransport;
import io.nauta.core.client.KubeClient;
import io.nauta.core.client.ResourceClient;
import io.nauta.core.errors.AlreadyExistsException;
import io.nauta.core.registry.BuiltInResources;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Watch fan-out and big lists (issue 13), in one JVM with the API server (TLS and RBAC on, Redis in
 * Docker): for each number of watchers, that many watches of the pods of a fresh namespace over
 * real HTTPS (each its own connection, as a user allowed by RBAC through the {@code view}
 * ClusterRole), then pods created at a fixed rate by the admin; it counts that every watcher got
 * every pod's ADDED event, the delivery latency from the create's acknowledgement to the event's
 * arrival at each watcher (0 when the event came first), and the process's CPU time per event
 * written and per event delivered. Then a list of 30,000 pods: p50/p99 of whole lists, the time of
 * a paged walk ({@code limit=500}), and the heap after a full GC.
 *
 * <p>Run with {@code deploy/bench/run-java.sh platform-api io.nauta.api.bench.WatchFanoutBenchmark
 * [watchers,... [events [rate [listPods [lists]]]]]} (defaults 10,100,1000 2000 1000 30000 30), or
 * through {@code deploy/bench/watch-fanout.sh}. Prints {@code RESULT key value} lines; not part of
 * the test suite. The watchers decode TLS in this JVM too, so the CPU figures include the clients.
 */
public final class WatchFanoutBenchmark {

  private static final String MARK = "\"name\":\"wf-";
  private static final int BUCKET_MICROS = 100;
  private static final int BUCKETS = 600_000;

  private static final AtomicLongArray ackNanos = new AtomicLongArray(200_000);
  private static final AtomicInteger nextSeq = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    // Every watch holds a connection: Reactor Netty's default pool would queue all but a few.
    System.setProperty("reactor.netty.pool.maxConnections", "5000");
    int[] counts =
        Arrays.stream((args.length > 0 ? args[0] : "10,100,1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    int listPods = args.length > 3 ? Integer.parseInt(args[3]) : 30_000;
    int lists = args.length > 4 ? Integer.parseInt(args[4]) : 30;
    try (TestApiServer server =
        TestApiServer.startOnEmptyRedis(
            "logging.level.root=WARN", "nauta.watch.history-max-events=1000000")) {
      KubeClient admin = server.kubeClient();
      ClientConfig watcher = server.clientConfigAs("bench-watcher");
      admin
          .resource(BuiltInResources.CLUSTER_ROLE_BINDINGS, ClusterRoleBinding.class)
          .create(
              new ClusterRoleBindingBuilder()
                  .withNewMetadata()
                  .withName("bench-watcher")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                  .addNewSubject()
                  .withKind("User")
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withName("bench-watcher")
                  .endSubject()
                  .build())
          .block();
      // The handshakes of many watches at once on a busy machine take longer than Netty's 10 s.
      SslContext tls =
          SslContextBuilder.forClient()
              .trustManager(pem(watcher.certificateAuthority()))
              .keyManager(pem(watcher.clientCertificate()), pem(watcher.clientKey()))
              .build();
      HttpClient http =
          ClientTransport.httpClient(watcher)
              .secure(spec -> spec.sslContext(tls).handshakeTimeout(Duration.ofMinutes(2)))
              .responseTimeout(Duration.ofMinutes(10))
              .doOnConnected(c -> c.addHandlerLast(new LineBasedFrameDecoder(4 << 20)));
      // Warm-up, not reported: the JIT compiles the paths first.
      fanout(server, admin, http, "warm", Math.min(100, counts[counts.length - 1]), 200, rate);
      for (int n : counts) {
        fanout(server, admin, http, "n" + n, n, events, rate);
      }
      if (listPods > 0) {
        lists(server, admin, http, listPods, lists);
      }
    }
    System.exit(0);
  }

  private static void fanout(
      TestApiServer server,
      KubeClient admin,
      HttpClient http,
      String label,
      int watchers,
      int events,
      int rate)
      throws InterruptedException {
    String ns = "wf-" + label;
    namespace(admin, ns);
    ResourceClient<Pod> pods = admin.resource(BuiltInResources.PODS, Pod.class);
    // The first pod is a sentinel: every watcher has seen it once its watch is open.
    int first = nextSeq.getAndAdd(events + 1);
    int from = first + 1;
    int to = from + events;
    AtomicLong[] received = new AtomicLong[watchers];
    AtomicInteger sawSentinel = new AtomicInteger();
    AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
    List<Disposable> watches = new ArrayList<>();
    String uri = server.url() + "/api/v1/namespaces/" + ns + "/pods?watch=true";
    AtomicInteger opened = new AtomicInteger();
    for (int w = 0; w < watchers; w++) {
      if (w % 10 == 0) {
        // 1,000 TLS handshakes at once would time out on two busy cores: 10 at a time.
        awaitAtLeast(opened, w);
      }
      AtomicLong count = new AtomicLong();
      received[w] = count;
      AtomicInteger sentinel = new AtomicInteger();
      watches.add(
          http.doOnResponse((r, c) -> opened.incrementAndGet())
              .get()
              .uri(uri)
              .responseContent()
              .doOnNext(
                  line -> {
                    int seq = seq(line);
                    if (seq == first && sentinel.getAndIncrement() == 0) {
                      sawSentinel.incrementAndGet();
                    } else if (seq >= from && seq < to) {
                      long now = System.nanoTime();
                      long ack = ackNanos.get(seq);
                      long micros = ack == 0 ? 0 : Math.max(0, (now - ack) / 1_000);
                      histogram.incrementAndGet(
                          (int) Math.min(BUCKETS - 1, micros / BUCKET_MICROS));
                      count.incrementAndGet();
                    }
                  })
              .subscribe(l -> {}, e -> System.err.println("watch failed: " + e)));
    }
    awaitAtLeast(opened, watchers);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (sawSentinel.get() < watchers && System.nanoTime() < deadline) {
      // A pod per try, until every watch is open and saw one.
      if (sawSentinel.get() == 0 || ackNanos.get(first) == 0) {
        create(pods, ns, first).onErrorResume(e -> Mono.empty()).block();
      }
      Thread.sleep(200);
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long start = System.nanoTime();
    // Pods in batches every 10 ms, 64 creates in flight at most.
    int perTick = Math.max(1, rate / 100);
    Flux.range(from, events)
        .buffer(perTick)
        .delayElements(Duration.ofMillis(10))
        .concatMapIterable(batch -> batch)
        .flatMap(seq -> create(pods, ns, seq), 64)
        .blockLast(Duration.ofMinutes(10));
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    long expected = (long) watchers * events;
    deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (total(received) < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    double allSeconds = (System.nanoTime() - start) / 1e9;
    long cpu = os.getProcessCpuTime() - cpu0;
    long got = total(received);
    long complete = Arrays.stream(received).filter(c -> c.get() == events).count();
    watches.forEach(Disposable::dispose);
    String key = "fanout." + label + ".";
    result(key + "watchers", watchers);
    result(key + "events", events);
    result(key + "write_rate", events / writeSeconds);
    result(key + "delivered_fraction", (double) got / expected);
    result(key + "watchers_complete", complete);
    result(key + "seconds_to_all_delivered", allSeconds);
    result(key + "latency_p50_ms", percentile(histogram, 0.50));
    result(key + "latency_p99_ms", percentile(histogram, 0.99));
    result(key + "cpu_us_per_event", cpu / 1e3 / events);
    result(key + "cpu_us_per_delivery", cpu / 1e3 / Math.max(1, got));
  }

  private static void lists(
      TestApiServer server, KubeClient admin, HttpClient http, int count, int lists) {
    String ns = "wf-list";
    namespace(admin, ns);
    ResourceClient<Pod> pods = admin.resource(BuiltInResources.PODS, Pod.class);
    int base = nextSeq.getAndAdd(count);
    long start = System.nanoTime();
    Flux.range(base, count).flatMap(seq -> create(pods, ns, seq), 64).blockLast();
    result("list.create_rate", count / ((System.nanoTime() - start) / 1e9));
    String url = server.url() + "/api/v1/namespaces/" + ns + "/pods";
    long[] times = new long[lists];
    long bytes = 0;
    for (int i = -3; i < lists; i++) {
      long t = System.nanoTime();
      byte[] body = http.get().uri(url).responseContent().aggregate().asByteArray().block();
      if (i >= 0) {
        times[i] = System.nanoTime() - t;
      }
      bytes = body.length;
    }
    Arrays.sort(times);
    result("list.pods", count);
    result("list.bytes", bytes);
    result("list.p50_ms", times[lists / 2] / 1e6);
    result("list.p99_ms", times[Math.min(lists - 1, (int) Math.ceil(lists * 0.99) - 1)] / 1e6);
    long[] walks = new long[5];
    for (int i = 0; i < walks.length; i++) {
      long t = System.nanoTime();
      String token = "";
      int pages = 0;
      do {
        String page =
            http.get()
                .uri(url + "?limit=500" + (token.isEmpty() ? "" : "&continue=" + token))
                .responseContent()
                .aggregate()
                .asString()
                .block();
        token = continueToken(page);
        pages++;
      } while (!token.isEmpty());
      walks[i] = System.nanoTime() - t;
      if (pages != (count + 499) / 500) {
        System.err.println("paged walk: " + pages + " pages");
      }
    }
    Arrays.sort(walks);
    result("list.paged_walk_limit500_ms", walks[walks.length / 2] / 1e6);
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    result("list.heap_after_gc_mib", heap / (1024.0 * 1024.0));
  }

  private static java.io.InputStream pem(String text) {
    return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String continueToken(String page) {
    int at = page.indexOf("\"continue\":\"");
    if (at < 0) {
      return "";
    }
    int from = at + "\"continue\":\"".length();
    return page.substring(from, page.indexOf('"', from));
  }

  private static Mono<Pod> create(ResourceClient<Pod> pods, String ns, int seq) {
    return pods.create(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName("wf-" + seq)
                .addToLabels("app", "bench")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox:local")
                .withCommand("sleep", "3600")
                .withNewResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .endResources()
                .endContainer()
                .endSpec()
                .build())
        // A kept-alive connection the server closed at the same moment: send again; a create
        // that had gone through answers AlreadyExists the second time.
        .retry(3)
        .onErrorResume(AlreadyExistsException.class, e -> Mono.empty())
        .doOnTerminate(() -> ackNanos.compareAndSet(seq, 0, System.nanoTime()));
  }

  private static void namespace(KubeClient admin, String ns) {
    admin
        .resource(BuiltInResources.NAMESPACES, Namespace.class)
        .create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .block();
  }

  /** The sequence number in a line's pod name {@code wf-<seq>}, or -1. */
  private static int seq(ByteBuf line) {
    int at = indexOf(line);
    if (at < 0) {
      return -1;
    }
    int v = 0;
    for (int i = at + MARK.length(); i < line.writerIndex(); i++) {
      byte b = line.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      v = v * 10 + (b - '0');
    }
    return v;
  }

  private static final byte[] MARK_BYTES = MARK.getBytes(StandardCharsets.UTF_8);

  private static int indexOf(ByteBuf buf) {
    int end = buf.writerIndex() - MARK_BYTES.length;
    outer:
    for (int i = buf.readerIndex(); i <= end; i++) {
      for (int j = 0; j < MARK_BYTES.length; j++) {
        if (buf.getByte(i + j) != MARK_BYTES[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void awaitAtLeast(AtomicInteger counter, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (counter.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static long total(AtomicLong[] counts) {
    long sum = 0;
    for (AtomicLong c : counts) {
      sum += c.get();
    }
    return sum;
  }

  private static double percentile(AtomicLongArray histogram, double p) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += histogram.get(i);
    }
    long rank = (long) Math.ceil(total * p);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += histogram.get(i);
      if (seen >= rank && total > 0) {
        return (i + 1) * BUCKET_MICROS / 1000.0;
      }
    }
    return Double.NaN;
  }

  private static void result(String key, double value) {
    System.out.printf(Locale.ROOT, "RESULT %s %.3f%n", key, value);
  }
}
