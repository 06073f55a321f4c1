package io.nauta.api.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log backend: requests hand their events to a bounded in-memory queue and go on; one
 * writer thread encodes them ({@link AuditEventJson}) and appends them to the {@link
 * RotatingLogFile}. A request never waits for the log: an event that does not fit in the queue is
 * dropped and counted ({@code nauta.apiserver.audit.events.dropped}, reason {@code queue-full}), as
 * are events the file refused ({@code write-failed}), as Kubernetes' buffered backend counts what
 * it loses in {@code apiserver_audit_error_total}.
 */
public final class AuditLogWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditLogWriter.class);

  private final BlockingQueue<AuditEvent> queue;
  private final RotatingLogFile file;
  private final AuditEventJson json;
  private final Counter written;
  private final Counter queueFull;
  private final Counter writeFailed;
  private final Thread thread;
  private volatile boolean closing;

  AuditLogWriter(RotatingLogFile file, AuditEventJson json, int capacity, MeterRegistry meters) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.file = file;
    this.json = json;
    this.written =
        Counter.builder("nauta.apiserver.audit.events")
            .description("Audit events written to the audit log")
            .register(meters);
    this.queueFull = dropped(meters, "queue-full");
    this.writeFailed = dropped(meters, "write-failed");
    this.thread = new Thread(this::run, "audit-log-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private static Counter dropped(MeterRegistry meters, String reason) {
    return Counter.builder("nauta.apiserver.audit.events.dropped")
        .description("Audit events lost: the queue was full, or the log could not be written")
        .tag("reason", reason)
        .register(meters);
  }

  /** Queues {@code event} for writing, or drops and counts it: never waits. */
  public void accept(AuditEvent event) {
    if (closing || !queue.offer(event)) {
      queueFull.increment();
    }
  }

  private void run() {
    List<AuditEvent> batch = new ArrayList<>();
    while (!closing || !queue.isEmpty()) {
      try {
        AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 1024);
        for (AuditEvent e : batch) {
          write(e);
        }
        batch.clear();
        if (queue.isEmpty()) {
          // Written out whenever the writer catches up: a reader of the file sees every event of
          // a quiet server at once, and a busy one still writes in 64 KiB blocks.
          flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    flush();
    try {
      file.close();
    } catch (IOException e) {
      log.warn("closing the audit log: {}", e.toString());
    }
  }

  private void write(AuditEvent event) {
    try {
      file.write(json.line(event));
      written.increment();
    } catch (IOException | RuntimeException e) {
      writeFailed.increment();
      log.warn("audit event {} not written: {}", event.auditId(), e.toString());
    }
  }

  private void flush() {
    try {
      file.flush();
    } catch (IOException e) {
      log.warn("flushing the audit log: {}", e.toString());
    }
  }

  /** Writes what is queued, then stops (at shutdown, after the server stopped taking requests). */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
