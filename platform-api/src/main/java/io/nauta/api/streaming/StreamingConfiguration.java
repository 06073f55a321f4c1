package io.nauta.api.streaming;

import io.nauta.api.http.SubresourceHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The streaming subresources of pods: {@code exec}, {@code attach} and {@code portforward}. */
@Configuration(proxyBeanMethods = false)
class StreamingConfiguration {

  @Bean
  SubresourceHandler podExec(PodStreams streams) {
    return new PodStreamHandler(streams, "exec");
  }

  @Bean
  SubresourceHandler podAttach(PodStreams streams) {
    return new PodStreamHandler(streams, "attach");
  }

  @Bean
  SubresourceHandler podPortForward(PodStreams streams) {
    return new PodStreamHandler(streams, "portforward");
  }
}
