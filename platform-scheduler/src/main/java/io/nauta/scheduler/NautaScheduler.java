package io.nauta.scheduler;

import io.nauta.core.netty.IsolatedNettyResources;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Nauta's scheduler: binds pending pods to nodes, as an ordinary client of the API server. */
@SpringBootApplication
@Import(IsolatedNettyResources.class)
@ConfigurationPropertiesScan
public class NautaScheduler {

  /**
   * The application, reading its defaults from {@code nauta-scheduler.yaml}: a distinct name, so
   * that in one JVM (the all-in-one, the tests) it never picks up another component's {@code
   * application.yaml}.
   */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(NautaScheduler.class)
        .properties("spring.config.name=nauta-scheduler");
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
