import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small closed-loop HTTP/1.1 load generator (wrk-like, no dependencies): CONNECTIONS keep-alive
 * connections, one thread each, send GET requests back to back for SECONDS seconds and read each
 * response whole (Content-Length or chunked). After an unreported warm-up round, ROUNDS rounds
 * alternate the targets, so every target sees the same machine. Prints per round and target:
 * requests per second, p50 and p99 latency in microseconds, errors (non-2xx or I/O); then the
 * medians over the rounds.
 *
 * <p>{@code --cpu NAME=PID} (repeatable) adds to each of NAME's rounds the CPU time process PID
 * spent per request (user + system, from /proc), a figure that other work on the machine disturbs
 * far less than requests per second.
 *
 * <p>{@code java HttpLoad.java [--seconds S] [--connections C] [--rounds R] [--cpu NAME=PID]...
 * NAME=HOST:PORT[/PATH][@HOSTHEADER]...} (deploy/bench/ingress.sh runs it).
 */
public final class HttpLoad {

  record Target(String name, String host, int port, String path, String hostHeader) {
    static Target parse(String spec) {
      String name = spec.substring(0, spec.indexOf('='));
      String rest = spec.substring(spec.indexOf('=') + 1);
      String header = null;
      int at = rest.indexOf('@');
      if (at >= 0) {
        header = rest.substring(at + 1);
        rest = rest.substring(0, at);
      }
      String path = "/";
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        path = rest.substring(slash);
        rest = rest.substring(0, slash);
      }
      int colon = rest.lastIndexOf(':');
      String host = rest.substring(0, colon);
      int port = Integer.parseInt(rest.substring(colon + 1));
      return new Target(name, host, port, path, header != null ? header : rest);
    }
  }

  record Result(double rps, long p50, long p99, int errors) {}

  public static void main(String[] args) throws Exception {
    int seconds = 5;
    int connections = 16;
    int rounds = 3;
    List<Target> targets = new ArrayList<>();
    Map<String, Long> cpuPids = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--cpu" -> {
          String[] nameAndPid = args[++i].split("=", 2);
          cpuPids.put(nameAndPid[0], Long.parseLong(nameAndPid[1]));
        }
        default -> targets.add(Target.parse(args[i]));
      }
    }
    System.out.printf(
        Locale.ROOT, "%d connections, %ds per round, %d rounds (+1 warm-up)%n", connections, seconds, rounds);
    for (Target t : targets) {
      run(t, connections, Math.min(seconds, 3)); // warm-up
    }
    List<List<Result>> all = new ArrayList<>();
    List<List<Double>> cpu = new ArrayList<>();
    targets.forEach(t -> all.add(new ArrayList<>()));
    targets.forEach(t -> cpu.add(new ArrayList<>()));
    for (int r = 1; r <= rounds; r++) {
      for (int i = 0; i < targets.size(); i++) {
        Long pid = cpuPids.get(targets.get(i).name());
        long ticks = pid == null ? 0 : cpuTicks(pid);
        Result res = run(targets.get(i), connections, seconds);
        all.get(i).add(res);
        String perRequest = "";
        if (pid != null) {
          // CPU time of that process (user + system, in clock ticks of 10 ms) per request.
          double us = (cpuTicks(pid) - ticks) * 10_000.0 / Math.max(1, res.rps() * seconds);
          cpu.get(i).add(us);
          perRequest = String.format(Locale.ROOT, "  cpu %4.0f us/req", us);
        }
        System.out.printf(
            Locale.ROOT,
            "round %d %-10s %9.0f req/s  p50 %6d us  p99 %6d us  errors %d%s%n",
            r,
            targets.get(i).name(),
            res.rps(),
            res.p50(),
            res.p99(),
            res.errors(),
            perRequest);
      }
    }
    System.out.println("median over rounds:");
    for (int i = 0; i < targets.size(); i++) {
      List<Result> rs = all.get(i);
      System.out.printf(
          Locale.ROOT,
          "%-10s %9.0f req/s  p50 %6d us  p99 %6d us  errors %d%s%n",
          targets.get(i).name(),
          median(rs.stream().mapToDouble(Result::rps).toArray()),
          (long) median(rs.stream().mapToDouble(Result::p50).toArray()),
          (long) median(rs.stream().mapToDouble(Result::p99).toArray()),
          rs.stream().mapToInt(Result::errors).sum(),
          cpu.get(i).isEmpty()
              ? ""
              : String.format(
                  Locale.ROOT,
                  "  cpu %4.0f us/req",
                  median(cpu.get(i).stream().mapToDouble(Double::doubleValue).toArray())));
    }
  }

  /** utime + stime of a process, from /proc/PID/stat (fields 14 and 15, after the name). */
  private static long cpuTicks(long pid) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static double median(double[] values) {
    Arrays.sort(values);
    return values[values.length / 2];
  }

  private static Result run(Target t, int connections, int seconds) throws InterruptedException {
    byte[] request =
        ("GET " + t.path() + " HTTP/1.1\r\nHost: " + t.hostHeader() + "\r\nUser-Agent: HttpLoad\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> latencies = new ArrayList<>();
    int[] counts = new int[connections];
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      long[] mine = new long[2_000_000];
      latencies.add(mine);
      int index = c;
      new Thread(
              () -> {
                int n = 0;
                Socket s = null;
                InputStream in = null;
                try {
                  while (System.nanoTime() < end) {
                    try {
                      if (s == null) {
                        s = new Socket();
                        s.setTcpNoDelay(true);
                        s.connect(new InetSocketAddress(t.host(), t.port()), 5000);
                        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
                      }
                      long start = System.nanoTime();
                      s.getOutputStream().write(request);
                      int status = readResponse(in);
                      if (n < mine.length) {
                        mine[n++] = (System.nanoTime() - start) / 1000;
                      }
                      if (status < 200 || status > 299) {
                        errors.incrementAndGet();
                      }
                    } catch (IOException e) {
                      errors.incrementAndGet();
                      close(s);
                      s = null;
                    }
                  }
                } finally {
                  close(s);
                  counts[index] = n;
                  done.countDown();
                }
              })
          .start();
    }
    done.await();
    int total = Arrays.stream(counts).sum();
    long[] merged = new long[total];
    int k = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(latencies.get(c), 0, merged, k, counts[c]);
      k += counts[c];
    }
    Arrays.sort(merged);
    long p50 = total == 0 ? 0 : merged[(int) (total * 0.50)];
    long p99 = total == 0 ? 0 : merged[Math.min(total - 1, (int) (total * 0.99))];
    return new Result(total / (double) seconds, p50, p99, errors.get());
  }

  private static void close(Socket s) {
    try {
      if (s != null) {
        s.close();
      }
    } catch (IOException ignored) {
      // closing
    }
  }

  /** Reads one response (status line, headers, body) and returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new IOException("connection closed");
    }
    int code = Integer.parseInt(status.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (chunked) {
      for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
        skip(in, size);
        line(in);
      }
      line(in);
    } else if (length > 0) {
      skip(in, length);
    }
    if (close) {
      throw new IOException("the server closed the connection");
    }
    return code;
  }

  private static void skip(InputStream in, long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new IOException("body cut short");
      }
      n -= r;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }
}
