package io.nauta.agent.runtime;

import java.util.Arrays;
import reactor.core.publisher.Flux;

/** Byte-level helpers for log streams. */
public final class LogBytes {

  private LogBytes() {}

  /**
   * The first {@code max} bytes of {@code chunks} (a chunk that crosses the limit is cut), then
   * completes and cancels the source, as the kubelet's {@code limitBytes} does; {@code null}: all.
   */
  public static Flux<byte[]> limit(Flux<byte[]> chunks, Long max) {
    if (max == null) {
      return chunks;
    }
    return Flux.defer(
        () -> {
          long[] left = {max};
          return chunks.handle(
              (chunk, sink) -> {
                byte[] out = chunk.length <= left[0] ? chunk : Arrays.copyOf(chunk, (int) left[0]);
                left[0] -= out.length;
                if (out.length > 0) {
                  sink.next(out);
                }
                if (left[0] <= 0) {
                  sink.complete();
                }
              });
        });
  }
}
