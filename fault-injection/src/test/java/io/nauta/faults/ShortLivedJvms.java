package io.nauta.faults;

/**
 * JVM options for the components a test starts through deploy/nauta and throws away minutes later:
 * the client compiler alone ({@code -XX:TieredStopAtLevel=1}). Measured on the quiet machine, a
 * 3-member federation ({@code up --federation 3 --runtime simulated}) was up in 139 s on 274
 * CPU-seconds with it, 262 s on 521 without; on 2 cores that CPU is taken from whatever test runs
 * in the other fork. Benchmarks do not use it: they measure what deploy/nauta runs by default.
 */
final class ShortLivedJvms {

  private ShortLivedJvms() {}

  /** {@code NAUTA_JAVA_OPTS} as the caller's environment has it, plus the client compiler. */
  static String javaOpts() {
    return (System.getenv().getOrDefault("NAUTA_JAVA_OPTS", "") + " -XX:TieredStopAtLevel=1")
        .trim();
  }
}
