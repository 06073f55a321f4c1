package io.nauta.controllers.autoscaling;

import java.time.Duration;
import java.time.Instant;

/**
 * One pod's measured usage of one resource: the sum over its containers (or the one container a
 * ContainerResource metric names), in milli-units (millicores, millibytes), as upstream's {@code
 * metricsclient.PodMetric}.
 */
public record PodMetric(Instant timestamp, Duration window, long milliValue) {}
