package io.nauta.federation.runtime;

import io.nauta.core.events.EventRecorder;

/**
 * Event recorders of the federation controllers by reporting component, e.g. {@code
 * karmada-scheduler}: Events on templates, bindings and clusters in the gateway.
 */
@FunctionalInterface
public interface FederationEvents {

  EventRecorder forComponent(String component);
}
