package io.nauta.agent.app;

import java.util.function.IntSupplier;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The port the agent's HTTP server bound, for the nodes' {@code
 * status.daemonEndpoints.kubeletEndpoint.Port}: the API server reads logs there. Known once the
 * server started (with {@code server.port=0} only then), which is before the nodes register: the
 * web server starts in an earlier lifecycle phase than {@link AgentRunner}.
 */
@Component
public class KubeletPort implements ApplicationListener<WebServerInitializedEvent>, IntSupplier {

  private volatile int port;

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    // A separate management server would have a namespace of its own; logs are on the main one.
    if (event.getApplicationContext().getServerNamespace() == null) {
      port = event.getWebServer().getPort();
    }
  }

  /** The bound port, or 0 before the server started. */
  @Override
  public int getAsInt() {
    return port;
  }
}
