package io.nauta.federation.runtime;

import io.nauta.core.component.ComponentRunner;

/**
 * A federation controller, as a Spring bean of the gateway: each feature's small
 * {@code @Configuration} declares one (or more), built from the gateway's {@link
 * io.nauta.core.client.KubeClient} and {@link io.nauta.core.informer.InformerFactory} beans (asking
 * for its informers while being built, never starting them), and the gateway registers every one
 * with its {@link ComponentRunner} just before the runner starts, once the API server listens.
 *
 * <p>Typical: {@code runner -> runner.whileLeading(controller)} for a {@link
 * io.nauta.core.controller.Controller}; {@link ComponentRunner#whileRunning} for work that runs on
 * every replica, leader or not. Beans are registered in their {@code @Order}.
 */
@FunctionalInterface
public interface FederationController {

  /** Registers this controller's work with the gateway's runner. */
  void register(ComponentRunner runner);

  /**
   * The name {@code nauta.federation.controllers} turns it off by: its feature's package ({@code
   * scheduling}, {@code detector}, {@code propagation}, {@code status}, {@code dependencies},
   * {@code cluster}, {@code mcs}, ...), which is also where a lambda declared in that feature's
   * configuration lives.
   */
  default String name() {
    String pkg = getClass().getPackageName();
    return pkg.substring(pkg.lastIndexOf('.') + 1);
  }
}
