package io.nauta.agent;

import io.nauta.agent.bootstrap.NodeJoin;
import io.nauta.core.netty.IsolatedNettyResources;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * Nauta's node agent (the kubelet): registers its node or nodes, renews their Leases, and runs the
 * pods bound to them through a container runtime.
 */
@SpringBootApplication
@Import(IsolatedNettyResources.class)
@ConfigurationPropertiesScan
public class NautaAgent {

  /** The application, reading its defaults from {@code nauta-agent.yaml}. */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(NautaAgent.class)
        .properties("spring.config.name=nauta-agent")
        // Joining with a bootstrap token settles the port's TLS: before the web server exists.
        .listeners(new NodeJoin());
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
