package io.nauta.api.resourcemetrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the API server gathers resource metrics ({@code metrics.k8s.io}), as metrics-server's flags
 * name them.
 *
 * @param enabled whether this API server scrapes nodes at all (off: the metrics API answers empty
 *     lists and 404s)
 * @param resolution how often every Ready node's agent is scraped ({@code --metric-resolution})
 * @param timeout how long one node's scrape may take ({@code --kubelet-request-timeout}); a node
 *     that times out keeps its last points until they are {@code 2 × resolution} old
 * @param concurrency at most this many nodes are scraped at once
 */
@ConfigurationProperties("nauta.metrics")
public record ResourceMetricsProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("15s") Duration resolution,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("20") int concurrency) {}
