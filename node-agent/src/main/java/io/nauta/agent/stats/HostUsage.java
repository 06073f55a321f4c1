package io.nauta.agent.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's figures, for a node on the Docker runtime, as cAdvisor's root container: busy CPU time
 * from {@code /proc/stat} (every state but idle and iowait, in the kernel's USER_HZ ticks of 10 ms)
 * and memory from {@code /proc/meminfo} (working set = total − available).
 */
final class HostUsage {

  /** Linux's USER_HZ is 100 on every architecture it exposes to user space. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  /** The host's cumulative busy CPU time and memory, in bytes. */
  record Reading(
      long coreNanoSeconds,
      long workingSetBytes,
      long usageBytes,
      long rssBytes,
      long availableBytes) {}

  private final Path proc;

  HostUsage(Path proc) {
    this.proc = proc;
  }

  Reading read() {
    try {
      return of(
          Files.readAllLines(proc.resolve("stat")), Files.readAllLines(proc.resolve("meminfo")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host's boot, {@code btime} of {@code /proc/stat}; null if it cannot be read. */
  Instant bootTime() {
    try {
      for (String line : Files.readAllLines(proc.resolve("stat"))) {
        if (line.startsWith("btime ")) {
          return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // No /proc: the agent's start stands in.
    }
    return null;
  }

  static Reading of(List<String> stat, List<String> meminfo) {
    long busyTicks = 0;
    for (String line : stat) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is
        // already counted in user and nice.
        for (int i = 1; i < Math.min(f.length, 9); i++) {
          if (i != 4 && i != 5) {
            busyTicks += Long.parseLong(f[i]);
          }
        }
        break;
      }
    }
    Map<String, Long> mem = new HashMap<>();
    for (String line : meminfo) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String[] value = line.substring(colon + 1).trim().split("\\s+");
        mem.put(line.substring(0, colon), Long.parseLong(value[0]) * 1024);
      }
    }
    long total = mem.getOrDefault("MemTotal", 0L);
    long free = mem.getOrDefault("MemFree", 0L);
    long available = mem.getOrDefault("MemAvailable", free);
    return new Reading(
        busyTicks * NANOS_PER_TICK,
        Math.max(0, total - available),
        Math.max(0, total - free),
        mem.getOrDefault("AnonPages", 0L),
        available);
  }
}
