package io.nauta.api.flowcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.nauta.api.flowcontrol.QueueSet.Queuing;
import io.nauta.api.flowcontrol.QueueSet.RejectedException;
import io.nauta.api.flowcontrol.QueueSet.Rejection;
import io.nauta.api.flowcontrol.QueueSet.Seat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

class QueueSetTest {

  private static final Duration LONG = Duration.ofHours(1);

  /** One acquire, as the filter makes it: its seat or its rejection, and its subscription. */
  private static final class Ask {
    final String flow;
    Seat seat;
    Rejection rejected;
    Disposable subscription;

    Ask(String flow) {
      this.flow = flow;
    }
  }

  private static Ask ask(QueueSet qs, long hash, String flow, List<Ask> dispatchOrder) {
    Ask a = new Ask(flow);
    a.subscription =
        qs.acquire(hash, flow)
            .subscribe(
                seat -> {
                  a.seat = seat;
                  dispatchOrder.add(a);
                },
                e -> a.rejected = ((RejectedException) e).reason());
    return a;
  }

  @Test
  void aHeavyFlowCannotStarveALightOneOfTheSameLevel() {
    Random random = new Random(14);
    QueueSet qs =
        new QueueSet(
            "workload-low",
            2,
            new Queuing(64, 6, 1000),
            LONG,
            Schedulers.parallel(),
            QueueSet.Listener.NONE);
    List<Ask> order = new ArrayList<>();
    long heavy = Classifier.flowHash("service-accounts", "system:serviceaccount:a:flood");
    long light = Classifier.flowHash("service-accounts", "system:serviceaccount:b:quiet");
    List<Ask> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      all.add(ask(qs, heavy, "heavy", order));
    }
    for (int i = 0; i < 20; i++) {
      all.add(ask(qs, light, "light", order));
    }
    // Seats come back in a random order, as requests finish when they do.
    List<Ask> executing = new ArrayList<>(order);
    int seen = order.size();
    while (!executing.isEmpty()) {
      Ask done = executing.remove(random.nextInt(executing.size()));
      done.seat.release();
      executing.addAll(order.subList(seen, order.size()));
      seen = order.size();
    }
    assertThat(order).hasSize(520);
    int lastLight = 0;
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).flow.equals("light")) {
        lastLight = i;
      }
    }
    // First come, first served would start the light flow's requests after the 500 heavy ones;
    // fair queuing starts them about every other seat.
    assertThat(lastLight).isLessThan(60);
    assertThat(qs.executing()).isZero();
    assertThat(qs.waiting()).isZero();
  }

  @Test
  void aFullQueueRejects() {
    QueueSet qs =
        new QueueSet(
            "l", 1, new Queuing(1, 1, 2), LONG, Schedulers.parallel(), QueueSet.Listener.NONE);
    List<Ask> order = new ArrayList<>();
    Ask first = ask(qs, 1, "f", order);
    Ask second = ask(qs, 1, "f", order);
    Ask third = ask(qs, 1, "f", order);
    Ask fourth = ask(qs, 1, "f", order);
    assertThat(first.seat).isNotNull();
    assertThat(second.seat).isNull();
    assertThat(third.seat).isNull();
    assertThat(fourth.rejected).isEqualTo(Rejection.QUEUE_FULL);
    first.seat.release();
    assertThat(second.seat).isNotNull();
    assertThat(qs.waiting()).isEqualTo(1);
  }

  @Test
  void aRejectingLevelRefusesBeyondItsLimitAndTakesAgainWhenASeatFrees() {
    QueueSet qs = new QueueSet("l", 2, null, LONG, Schedulers.parallel(), QueueSet.Listener.NONE);
    List<Ask> order = new ArrayList<>();
    Ask a = ask(qs, 0, "f", order);
    Ask b = ask(qs, 0, "f", order);
    Ask c = ask(qs, 0, "f", order);
    assertThat(a.seat).isNotNull();
    assertThat(b.seat).isNotNull();
    assertThat(c.rejected).isEqualTo(Rejection.CONCURRENCY_LIMIT);
    a.seat.release();
    a.seat.release(); // twice gives back one seat
    assertThat(qs.executing()).isEqualTo(1);
    assertThat(ask(qs, 0, "f", order).seat).isNotNull();
    assertThat(ask(qs, 0, "f", order).rejected).isEqualTo(Rejection.CONCURRENCY_LIMIT);
  }

  @Test
  void aCancelledRequestLeavesItsQueueAndTakesNoSeat() {
    QueueSet qs =
        new QueueSet(
            "l", 1, new Queuing(4, 2, 10), LONG, Schedulers.parallel(), QueueSet.Listener.NONE);
    List<Ask> order = new ArrayList<>();
    Ask running = ask(qs, 5, "f", order);
    Ask gone = ask(qs, 5, "f", order);
    assertThat(qs.waiting()).isEqualTo(1);
    gone.subscription.dispose(); // the client went away
    assertThat(qs.waiting()).isZero();
    running.seat.release();
    assertThat(gone.seat).isNull();
    assertThat(qs.executing()).isZero();
  }

  @Test
  void aRequestThatWaitsTooLongIsRejectedWithTimeOut() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    QueueSet qs =
        new QueueSet(
            "l", 1, new Queuing(4, 2, 10), Duration.ofSeconds(15), time, QueueSet.Listener.NONE);
    List<Ask> order = new ArrayList<>();
    Ask running = ask(qs, 5, "f", order);
    Ask waiting = ask(qs, 5, "f", order);
    time.advanceTimeBy(Duration.ofSeconds(14));
    assertThat(waiting.rejected).isNull();
    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(waiting.rejected).isEqualTo(Rejection.TIME_OUT);
    assertThat(qs.waiting()).isZero();
    running.seat.release();
    assertThat(qs.executing()).isZero();
  }

  @Test
  void seatsAreNeverLostNorOverGivenWhateverTheRequestsDo() {
    Random random = new Random(1404);
    for (int round = 0; round < 50; round++) {
      int limit = 1 + random.nextInt(4);
      QueueSet qs =
          new QueueSet(
              "l",
              limit,
              random.nextBoolean()
                  ? null
                  : new Queuing(8, 1 + random.nextInt(4), 1 + random.nextInt(5)),
              LONG,
              Schedulers.parallel(),
              QueueSet.Listener.NONE);
      List<Ask> order = new ArrayList<>();
      List<Ask> live = new ArrayList<>();
      for (int step = 0; step < 200; step++) {
        int op = random.nextInt(3);
        if (op == 0 || live.isEmpty()) {
          live.add(ask(qs, random.nextInt(6), "f" + random.nextInt(3), order));
        } else {
          Ask a = live.remove(random.nextInt(live.size()));
          if (a.seat != null && random.nextBoolean()) {
            a.seat.release();
          } else {
            a.subscription.dispose();
            if (a.seat != null) {
              a.seat.release(); // the filter's doFinally after a cancel
            }
          }
        }
        assertThat(qs.executing()).isBetween(0, limit);
      }
      for (Ask a : live) {
        a.subscription.dispose();
        if (a.seat != null) {
          a.seat.release();
        }
      }
      assertThat(qs.executing()).isZero();
      assertThat(qs.waiting()).isZero();
    }
  }
}
