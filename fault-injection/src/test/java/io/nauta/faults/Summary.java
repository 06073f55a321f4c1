package io.nauta.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The time each case took to converge after its fault, printed as each case ends and once more as a
 * table at the end (also written to {@code <logs>/summary.txt}).
 */
final class Summary {

  private final List<String> lines = new ArrayList<>();

  synchronized void converged(String testCase, Duration time, String detail) {
    String line =
        String.format("%-58s converged in %6.1f s  %s", testCase, time.toMillis() / 1000.0, detail);
    lines.add(line);
    System.out.println("[faults] " + line);
  }

  synchronized void print(Path logs) {
    StringBuilder out =
        new StringBuilder("Fault-injection summary (time to converge after the fault)\n");
    lines.forEach(l -> out.append("  ").append(l).append('\n'));
    System.out.println(out);
    try {
      Files.createDirectories(logs);
      Files.writeString(logs.resolve("summary.txt"), out.toString());
    } catch (IOException e) {
      System.out.println("[faults] could not write the summary: " + e);
    }
  }
}
