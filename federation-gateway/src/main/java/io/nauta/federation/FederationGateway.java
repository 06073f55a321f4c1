package io.nauta.federation;

import io.nauta.api.NautaApiServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The federation gateway: a Nauta API server of its own ({@link NautaApiServer}, on its own Redis
 * and PKI) on which users submit templates and Karmada's policy objects, plus the federation
 * controllers, which run in this same JVM on a loopback client to it ({@code
 * io.nauta.federation.runtime}). Every {@code @Configuration} under {@code io.nauta.federation} is
 * part of it.
 *
 * <p>Its defaults come from the API server's {@code application.yaml} overlaid with {@code
 * nauta-gateway.yaml} (port 7443, its own PKI directory and embedded Redis directory).
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan
@ConfigurationPropertiesScan
public class FederationGateway {

  /** The Spring configuration name: the API server's defaults, then the gateway's over them. */
  public static final String CONFIG_NAME = "application,nauta-gateway";

  /** The application: the API server and the gateway's own parts in one context. */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(NautaApiServer.class, FederationGateway.class)
        .properties("spring.config.name=" + CONFIG_NAME);
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
