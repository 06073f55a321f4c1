package io.nauta.agent.runtime.docker;

import io.nauta.agent.runtime.PodEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the events a runtime reports, for tests to read. */
final class RecordedPodEvents implements PodEvents {

  record Recorded(PodRef pod, String type, String reason, String message) {}

  private final List<Recorded> all = new CopyOnWriteArrayList<>();

  @Override
  public void record(PodRef pod, String type, String reason, String message) {
    all.add(new Recorded(pod, type, reason, message));
  }

  List<Recorded> of(String podName) {
    return all.stream().filter(e -> e.pod().name().equals(podName)).toList();
  }

  List<String> reasons(String podName) {
    return of(podName).stream().map(Recorded::reason).toList();
  }
}
