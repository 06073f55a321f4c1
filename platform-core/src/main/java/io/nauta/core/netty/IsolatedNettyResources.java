package io.nauta.core.netty;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives this application its own Netty event loops and connection pool instead of Reactor Netty's
 * JVM-wide ones. Spring Boot's default factory disposes the global resources when its context
 * closes, which would take down every other component sharing the JVM (the all-in-one, tests that
 * run several servers side by side).
 */
@Configuration(proxyBeanMethods = false)
public class IsolatedNettyResources {

  @Bean
  ReactorResourceFactory reactorResourceFactory() {
    ReactorResourceFactory factory = new ReactorResourceFactory();
    factory.setUseGlobalResources(false);
    return factory;
  }
}
