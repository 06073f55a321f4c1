package io.nauta.controllers.app;

import io.nauta.core.events.EventRecorder;

/** Event recorders by reporting component, e.g. {@code replicaset-controller}. */
@FunctionalInterface
public interface EventRecorders {

  EventRecorder forComponent(String component);
}
