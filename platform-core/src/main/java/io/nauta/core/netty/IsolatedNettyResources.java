package io.nauta.core.netty;

import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives this application its own Netty event loops and connection pool instead of Reactor Netty's
 * JVM-wide ones. Spring Boot's default factory disposes the global resources when its context
 * closes, which would take down every other component sharing the JVM (the all-in-one, tests that
 * run several servers side by side).
 */
@Configuration(proxyBeanMethods = false)
public class IsolatedNettyResources {

  /** Boot's property for its own factory, which this one replaces. */
  static final String SHUTDOWN_QUIET_PERIOD = "spring.reactor.netty.shutdown-quiet-period";

  @Bean
  ReactorResourceFactory reactorResourceFactory(Environment env) {
    ReactorResourceFactory factory = new ReactorResourceFactory();
    factory.setUseGlobalResources(false);
    // The event loops wait this long without a new task before they stop when the context
    // closes (Reactor Netty's default, 2 s, when unset). The test JVMs set it to 0: they close a
    // few hundred contexts one after another.
    String quiet = env.getProperty(SHUTDOWN_QUIET_PERIOD);
    if (quiet != null && !quiet.isBlank()) {
      Duration period =
          DurationFormatterUtils.detectAndParse(quiet.trim()); // "0s", "PT2S", "500ms"
      factory.setShutdownQuietPeriod(period);
    }
    return factory;
  }
}
