package io.nauta.api;

import io.nauta.core.netty.IsolatedNettyResources;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The Nauta API server: a Kubernetes-compatible API on Spring WebFlux with state in Redis. */
@SpringBootApplication
@Import(IsolatedNettyResources.class)
@ConfigurationPropertiesScan
public class NautaApiServer {

  public static void main(String[] args) {
    SpringApplication.run(NautaApiServer.class, args);
  }
}
