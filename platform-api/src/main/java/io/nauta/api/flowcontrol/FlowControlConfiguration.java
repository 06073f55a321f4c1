package io.nauta.api.flowcontrol;

import io.micrometer.core.instrument.MeterRegistry;
import io.nauta.api.cache.WatchCaches;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * API priority and fairness in the request path, unless {@code nauta.flowcontrol.enabled=false}.
 * The kinds themselves and their bootstrap objects are served either way, as Kubernetes serves them
 * with {@code --enable-priority-and-fairness=false}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlowControlProperties.class)
public class FlowControlConfiguration {

  @Bean
  FlowControlMetrics flowControlMetrics(MeterRegistry meters) {
    return new FlowControlMetrics(meters);
  }

  @Bean
  FlowControlConfigSource flowControlConfigSource(
      WatchCaches caches, FlowControlProperties properties, FlowControlMetrics metrics) {
    return new FlowControlConfigSource(caches, properties, Schedulers.parallel(), metrics);
  }

  @Bean
  @ConditionalOnBooleanProperty(name = "nauta.flowcontrol.enabled", matchIfMissing = true)
  PriorityAndFairnessFilter priorityAndFairnessFilter(
      FlowControlConfigSource config, FlowControlMetrics metrics) {
    return new PriorityAndFairnessFilter(config, metrics);
  }
}
