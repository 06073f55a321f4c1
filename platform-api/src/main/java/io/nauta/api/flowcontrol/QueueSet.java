package io.nauta.api.flowcontrol;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The seats of one priority level and the requests waiting for them, as Kubernetes' {@code
 * fairqueuing/queueset}: at most {@code concurrencyLimit} requests execute at once; with queuing, a
 * request that finds no free seat waits in the shortest queue of the hand its flow is dealt ({@link
 * ShuffleShardingDealer}), and a freed seat goes to the next non-empty queue in turn, so that each
 * flow with requests waiting gets the same share of the seats whatever the others send. Without
 * queuing (type {@code Reject}) such a request is turned away at once.
 *
 * <p>Nothing blocks: a waiting request is a pending {@link Mono}. It leaves its queue when it gets
 * a seat, when its subscriber cancels (the client went away), or when it has waited {@code
 * waitLimit}; each {@link Seat} is given back exactly once, whichever way the request ends.
 */
public final class QueueSet {

  /** Why a request was turned away, as Kubernetes labels {@code rejected_requests_total}. */
  public enum Rejection {
    QUEUE_FULL("queue-full"),
    CONCURRENCY_LIMIT("concurrency-limit"),
    TIME_OUT("time-out"),
    CANCELLED("cancelled");

    private final String label;

    Rejection(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A request turned away before it got a seat. */
  public static final class RejectedException extends RuntimeException {
    private final Rejection reason;

    RejectedException(Rejection reason) {
      super(reason.label(), null, false, false);
      this.reason = reason;
    }

    public Rejection reason() {
      return reason;
    }
  }

  /** What the queue set reports as it works (metrics); called outside its lock. */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void waiting(String flowSchema, int delta) {}

    default void executing(String flowSchema, int delta) {}

    default void dispatched(String flowSchema) {}

    default void rejected(String flowSchema, Rejection reason) {}
  }

  /** How requests wait; null queuing means the level rejects instead. */
  public record Queuing(int queues, int handSize, int queueLengthLimit) {}

  private enum State {
    WAITING,
    EXECUTING,
    DONE
  }

  private final String priorityLevel;
  private final Duration waitLimit;
  private final Scheduler timer;
  private final Listener listener;
  private final List<ArrayDeque<Request>> queues = new ArrayList<>();
  private final List<Integer> executingPerQueue = new ArrayList<>();
  private int concurrencyLimit;
  private Queuing queuing;
  private ShuffleShardingDealer dealer;
  private int executing;
  private int waiting;
  private int nextQueue;

  public QueueSet(
      String priorityLevel,
      int concurrencyLimit,
      Queuing queuing,
      Duration waitLimit,
      Scheduler timer,
      Listener listener) {
    this.priorityLevel = priorityLevel;
    this.waitLimit = waitLimit;
    this.timer = timer;
    this.listener = listener;
    configure(concurrencyLimit, queuing);
  }

  public String priorityLevel() {
    return priorityLevel;
  }

  /**
   * Takes a new configuration of the level. Queues beyond a smaller count are no longer dealt but
   * still drain, as Kubernetes keeps them until empty; requests that a larger limit can start now
   * are started.
   */
  public void configure(int concurrencyLimit, Queuing queuing) {
    List<Request> started;
    synchronized (this) {
      this.concurrencyLimit = concurrencyLimit;
      this.queuing = queuing;
      if (queuing != null) {
        this.dealer = new ShuffleShardingDealer(queuing.queues(), queuing.handSize());
        while (queues.size() < queuing.queues()) {
          queues.add(new ArrayDeque<>());
          executingPerQueue.add(0);
        }
      }
      started = dispatchLocked();
    }
    started.forEach(Request::grant);
  }

  public synchronized int concurrencyLimit() {
    return concurrencyLimit;
  }

  public synchronized int executing() {
    return executing;
  }

  public synchronized int waiting() {
    return waiting;
  }

  /**
   * A seat for one request of the flow {@code flowHash} (see {@link Classifier#flowHash}), now or
   * when one frees up; a {@link RejectedException} when the level turns it away.
   */
  public Mono<Seat> acquire(long flowHash, String flowSchema) {
    return Mono.create(
        sink -> {
          Request r = new Request(sink, flowSchema);
          sink.onCancel(r::cancel);
          r.enqueue(flowHash);
        });
  }

  /** The requests that may start now, taken out of their queues in turn; under the lock. */
  private List<Request> dispatchLocked() {
    List<Request> started = new ArrayList<>();
    while (executing < concurrencyLimit && waiting > 0) {
      int n = queues.size();
      for (int k = 0; k < n; k++) {
        int i = (nextQueue + k) % n;
        Request r = queues.get(i).poll();
        if (r != null) {
          nextQueue = (i + 1) % n;
          waiting--;
          executing++;
          executingPerQueue.set(i, executingPerQueue.get(i) + 1);
          r.state = State.EXECUTING;
          started.add(r);
          break;
        }
      }
    }
    return started;
  }

  /** One request: waiting in a queue, executing on a seat, or done. */
  private final class Request {
    private final MonoSink<Seat> sink;
    private final String flowSchema;
    private State state = State.WAITING;
    private int queue = -1;
    private Disposable timeout;
    private Seat seat;
    private boolean cancelled;

    Request(MonoSink<Seat> sink, String flowSchema) {
      this.sink = sink;
      this.flowSchema = flowSchema;
    }

    void enqueue(long flowHash) {
      Rejection rejected = null;
      List<Request> started = List.of();
      synchronized (QueueSet.this) {
        if (state != State.WAITING) {
          return; // cancelled before it was queued
        }
        if (queuing == null) {
          if (executing < concurrencyLimit) {
            executing++;
            state = State.EXECUTING;
            started = List.of(this);
          } else {
            rejected = Rejection.CONCURRENCY_LIMIT;
          }
        } else {
          queue = shortestInHand(flowHash);
          if (queues.get(queue).size() >= queuing.queueLengthLimit()) {
            rejected = Rejection.QUEUE_FULL;
          } else {
            queues.get(queue).add(this);
            waiting++;
            started = dispatchLocked();
          }
        }
        if (rejected != null) {
          state = State.DONE;
        }
      }
      if (rejected != null) {
        listener.rejected(flowSchema, rejected);
        sink.error(new RejectedException(rejected));
        return;
      }
      if (queue >= 0) {
        listener.waiting(flowSchema, 1);
      }
      if (!started.contains(this)) {
        armTimeout();
      }
      started.forEach(Request::grant);
    }

    /** Kubernetes picks the queue of the hand with the fewest requests waiting and executing. */
    private int shortestInHand(long flowHash) {
      int best = -1;
      int bestLength = Integer.MAX_VALUE;
      for (int q : dealer.deal(flowHash)) {
        int length = queues.get(q).size() + executingPerQueue.get(q);
        if (length < bestLength) {
          best = q;
          bestLength = length;
        }
      }
      return best;
    }

    private void armTimeout() {
      Disposable t =
          timer.schedule(
              () -> leaveQueue(Rejection.TIME_OUT), waitLimit.toNanos(), TimeUnit.NANOSECONDS);
      synchronized (QueueSet.this) {
        if (state == State.WAITING) {
          timeout = t;
          return;
        }
      }
      t.dispose();
    }

    /** Called once this request holds a seat; outside the lock. */
    void grant() {
      Disposable t;
      boolean gone;
      synchronized (QueueSet.this) {
        t = timeout;
        timeout = null;
        gone = cancelled;
        seat = new Seat(this);
      }
      if (t != null) {
        t.dispose();
      }
      if (queue >= 0) {
        listener.waiting(flowSchema, -1);
      }
      listener.executing(flowSchema, 1);
      listener.dispatched(flowSchema);
      if (gone) {
        seat.release();
        return;
      }
      // A sink cancelled from here on drops the value, and cancel() gives the seat back.
      sink.success(seat);
    }

    /** The subscriber went away: out of the queue, or the seat it holds or is given goes back. */
    void cancel() {
      Seat s;
      boolean beingGranted;
      synchronized (QueueSet.this) {
        cancelled = true;
        s = seat;
        beingGranted = state == State.EXECUTING && s == null;
      }
      if (s != null) {
        s.release();
      } else if (!beingGranted) {
        leaveQueue(Rejection.CANCELLED);
      }
    }

    private void leaveQueue(Rejection reason) {
      Disposable t;
      synchronized (QueueSet.this) {
        if (state != State.WAITING) {
          return;
        }
        state = State.DONE;
        if (queue >= 0 && queues.get(queue).remove(this)) {
          waiting--;
        }
        t = timeout;
        timeout = null;
      }
      if (t != null && reason != Rejection.TIME_OUT) {
        t.dispose();
      }
      if (queue >= 0) {
        listener.waiting(flowSchema, -1);
      }
      listener.rejected(flowSchema, reason);
      if (reason == Rejection.TIME_OUT) {
        sink.error(new RejectedException(reason));
      }
    }

    void release() {
      List<Request> started;
      synchronized (QueueSet.this) {
        state = State.DONE;
        executing--;
        if (queue >= 0) {
          executingPerQueue.set(queue, executingPerQueue.get(queue) - 1);
        }
        started = dispatchLocked();
      }
      listener.executing(flowSchema, -1);
      started.forEach(Request::grant);
    }
  }

  /** One executing request's seat; giving it back more than once does nothing. */
  public static final class Seat {
    private final Request request;
    private final AtomicBoolean released = new AtomicBoolean();

    private Seat(Request request) {
      this.request = request;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        request.release();
      }
    }
  }
}
