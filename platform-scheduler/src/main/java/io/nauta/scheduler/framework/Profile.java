package io.nauta.scheduler.framework;

import java.util.List;

/**
 * The plugins one scheduler name runs: filters in order (the first that rejects a node decides that
 * node's reason, as in Kubernetes) and score plugins with their weights.
 */
public record Profile(
    String schedulerName, List<FilterPlugin> filters, List<WeightedScore> scores) {

  public Profile {
    filters = List.copyOf(filters);
    scores = List.copyOf(scores);
  }

  /** A score plugin and the factor its normalized 0..100 score is multiplied by. */
  public record WeightedScore(ScorePlugin plugin, int weight) {}
}
