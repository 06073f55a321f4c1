import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Name lookups through the C library's resolver (getaddrinfo, as every program in a pod resolves),
 * a dnsperf-like loop: for each name in turn, THREADS threads look it up back to back for SECONDS
 * seconds; after an unreported warm-up round, ROUNDS rounds alternate the names, so both see the
 * same machine. Java's own cache is off
 * (networkaddress.cache.ttl=0), so every lookup goes to the resolver (getaddrinfo: /etc/hosts, then
 * the nameservers of /etc/resolv.conf with its search list and ndots). Prints per round and name:
 * lookups per second, p50 and p99 in microseconds, failures; then the medians over the rounds.
 *
 * <p>Run with {@code java -Djava.net.preferIPv4Stack=true DnsLookups.java [--seconds S]
 * [--threads T] [--rounds R] NAME...} (deploy/bench/dns.sh runs it in a pod's network namespace
 * with the pod's resolv.conf and hosts file).
 */
public final class DnsLookups {

  public static void main(String[] args) throws Exception {
    Security.setProperty("networkaddress.cache.ttl", "0");
    Security.setProperty("networkaddress.cache.negative.ttl", "0");
    int seconds = 5;
    int threads = 4;
    int rounds = 3;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> names.add(args[i]);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no names to look up");
    }
    for (String name : names) {
      // Once before measuring: a name that does not resolve is a set-up error, not a result.
      System.out.println(name + " -> " + Arrays.toString(InetAddress.getAllByName(name)));
    }
    // One unreported warm-up round: the JIT compiles the loop, the resolvers fill what they keep.
    for (String name : names) {
      run(name, threads, seconds);
    }
    double[][] qps = new double[names.size()][rounds];
    double[][] p50 = new double[names.size()][rounds];
    double[][] p99 = new double[names.size()][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int n = 0; n < names.size(); n++) {
        Result res = run(names.get(n), threads, seconds);
        qps[n][r] = res.qps;
        p50[n][r] = res.p50;
        p99[n][r] = res.p99;
        System.out.printf(
            Locale.ROOT,
            "round %d %-40s %9.0f lookups/s  p50 %7.0f us  p99 %7.0f us  failures %d%n",
            r + 1,
            names.get(n),
            res.qps,
            res.p50,
            res.p99,
            res.failures);
      }
    }
    System.out.printf(
        Locale.ROOT, "median of %d rounds (%d threads, %d s each):%n", rounds, threads, seconds);
    for (int n = 0; n < names.size(); n++) {
      System.out.printf(
          Locale.ROOT,
          "  %-40s %9.0f lookups/s  p50 %7.0f us  p99 %7.0f us%n",
          names.get(n),
          median(qps[n]),
          median(p50[n]),
          median(p99[n]));
    }
    if (names.size() > 1) {
      System.out.printf(
          Locale.ROOT,
          "  ratio %s / %s: lookups/s %.2f, p99 %.2f%n",
          names.get(0),
          names.get(1),
          median(qps[0]) / median(qps[1]),
          median(p99[0]) / median(p99[1]));
    }
  }

  private record Result(double qps, double p50, double p99, int failures) {}

  private static Result run(String name, int threads, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> perThread = new ArrayList<>();
    int[] counts = new int[threads];
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      long[] latencies = new long[1 << 20];
      perThread.add(latencies);
      int id = t;
      Thread th =
          new Thread(
              () -> {
                int c = 0;
                while (System.nanoTime() < end && c < latencies.length) {
                  long start = System.nanoTime();
                  try {
                    InetAddress.getAllByName(name);
                  } catch (UnknownHostException e) {
                    failures.incrementAndGet();
                  }
                  latencies[c++] = System.nanoTime() - start;
                }
                counts[id] = c;
                done.countDown();
              });
      th.start();
    }
    done.await();
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(perThread.get(t), 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    return new Result(
        total / (double) seconds,
        all[(int) (total * 0.50)] / 1000.0,
        all[Math.min(total - 1, (int) (total * 0.99))] / 1000.0,
        failures.get());
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
