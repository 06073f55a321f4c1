package io.nauta.scheduler.framework;

/** A scheduling plugin; its name is the one Kubernetes' scheduler gives the same plugin. */
public interface Plugin {

  String name();
}
