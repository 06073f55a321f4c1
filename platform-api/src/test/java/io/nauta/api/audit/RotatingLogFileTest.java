package io.nauta.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {

  @TempDir Path dir;

  /** A clock that moves a second on every reading, so each rotation gets its own name. */
  private static Clock ticking() {
    Instant[] now = {Instant.parse("2026-12-05T07:00:00Z")};
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        now[0] = now[0].plus(Duration.ofSeconds(1));
        return now[0];
      }
    };
  }

  private static byte[] line(int i) {
    return String.format("{\"n\":%05d}\n", i).getBytes(StandardCharsets.UTF_8); // 12 bytes
  }

  @Test
  void rotatesBeforeALineWouldPassTheSizeAndKeepsTheNewestBackups() throws Exception {
    Path log = dir.resolve("audit.log");
    try (RotatingLogFile file = new RotatingLogFile(log, 36, 2, ticking())) {
      for (int i = 0; i < 10; i++) {
        file.write(line(i));
      }
      file.flush();
      // Three lines per file: 0-2, 3-5, 6-8 were moved aside, 9 is current; two backups kept.
      assertThat(Files.readString(log)).isEqualTo(new String(line(9), StandardCharsets.UTF_8));
      List<Path> backups = file.backups().stream().sorted().toList();
      assertThat(backups)
          .extracting(p -> p.getFileName().toString())
          .containsExactly(
              "audit-2026-12-05T07-00-02.000.log", "audit-2026-12-05T07-00-03.000.log");
      assertThat(Files.readString(backups.get(1))).startsWith("{\"n\":00006}");
      assertThat(Files.size(backups.get(0))).isEqualTo(36);
    }
  }

  @Test
  void appendsToAnExistingLogAndCountsItsSize() throws Exception {
    Path log = dir.resolve("audit.log");
    Files.write(log, line(0));
    try (RotatingLogFile file = new RotatingLogFile(log, 24, 0, ticking())) {
      file.write(line(1));
      file.write(line(2));
      file.flush();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(2);
    }
    assertThat(Files.readString(log)).isEqualTo(new String(line(2), StandardCharsets.UTF_8));
  }
}
