package io.nauta.ingress;

import io.nauta.core.netty.IsolatedNettyResources;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * Nauta's ingress controller: serves the Ingresses of the {@code nauta} IngressClass, a reverse
 * proxy on Reactor Netty routing by host and path to the ready endpoints of Services, terminating
 * TLS with the Ingresses' Secrets.
 */
@SpringBootApplication
@Import(IsolatedNettyResources.class)
@ConfigurationPropertiesScan
public class NautaIngressController {

  /** The application, reading its defaults from {@code nauta-ingress-controller.yaml}. */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(NautaIngressController.class)
        .properties("spring.config.name=nauta-ingress-controller");
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
