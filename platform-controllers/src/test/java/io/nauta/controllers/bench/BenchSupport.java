package io.nauta.controllers.bench;

import io.nauta.api.it.Kubectl;
import java.util.Arrays;

/** What the benchmarks of this package share. */
final class BenchSupport {

  private BenchSupport() {}

  static void check(Kubectl.Result result) {
    if (result.exitCode() != 0) {
      throw new IllegalStateException(result.toString());
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
