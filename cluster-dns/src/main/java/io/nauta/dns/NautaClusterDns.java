package io.nauta.dns;

import io.nauta.core.netty.IsolatedNettyResources;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * Nauta's cluster DNS (kube-dns): Service and Pod records answered from the API server through
 * informers, every other name forwarded to the node's resolvers.
 */
@SpringBootApplication
@Import(IsolatedNettyResources.class)
@ConfigurationPropertiesScan
public class NautaClusterDns {

  /** The application, reading its defaults from {@code nauta-cluster-dns.yaml}. */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(NautaClusterDns.class)
        .properties("spring.config.name=nauta-cluster-dns");
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
