package io.nauta.core.component;

/**
 * A part of a component, as a Spring bean: registers its work (and readiness conditions) with the
 * component's {@link ComponentRunner} just before the runner starts, when every bean, and so every
 * informer the component asks for, exists. Beans are registered in their {@code @Order}.
 */
@FunctionalInterface
public interface ComponentWork {

  /** Calls {@link ComponentRunner#whileLeading}, {@link ComponentRunner#whileRunning}, … */
  void register(ComponentRunner runner);
}
