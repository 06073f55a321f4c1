package io.nauta.agent.events;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.nauta.agent.runtime.PodEvents;
import io.nauta.core.events.EventRecorder;

/**
 * Writes a runtime's pod events through an {@link EventRecorder} whose source is {@code kubelet} on
 * the node, as {@code kubectl describe pod} shows them. Fire and forget: the recorder logs a write
 * that fails, and a container's life never waits for its event.
 */
public final class RecordingPodEvents implements PodEvents {

  private final EventRecorder recorder;

  public RecordingPodEvents(EventRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void record(PodRef pod, String type, String reason, String message) {
    recorder.record(involved(pod), type, reason, message).subscribe();
  }

  private static Pod involved(PodRef ref) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ref.namespace())
        .withName(ref.name())
        .withUid(ref.uid())
        .endMetadata()
        .build();
  }
}
