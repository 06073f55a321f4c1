package io.nauta.scheduler.framework;

import java.util.ArrayList;
import java.util.List;

/**
 * The plugins one scheduler name runs: filters in order (the first that rejects a node decides that
 * node's reason, as in Kubernetes) and score plugins with their weights. Those of them that also
 * reserve or pre-bind are found by their interfaces.
 */
public record Profile(
    String schedulerName, List<FilterPlugin> filters, List<WeightedScore> scores) {

  public Profile {
    filters = List.copyOf(filters);
    scores = List.copyOf(scores);
  }

  /** The filter and score plugins that also reserve (in filter order, each once). */
  public List<ReservePlugin> reservePlugins() {
    return plugins(ReservePlugin.class);
  }

  /** The filter and score plugins that also have pre-bind work (in filter order, each once). */
  public List<PreBindPlugin> preBindPlugins() {
    return plugins(PreBindPlugin.class);
  }

  private <T> List<T> plugins(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Plugin p : filters) {
      if (type.isInstance(p) && !out.contains(p)) {
        out.add(type.cast(p));
      }
    }
    for (WeightedScore s : scores) {
      if (type.isInstance(s.plugin()) && !out.contains(s.plugin())) {
        out.add(type.cast(s.plugin()));
      }
    }
    return out;
  }

  /** A score plugin and the factor its normalized 0..100 score is multiplied by. */
  public record WeightedScore(ScorePlugin plugin, int weight) {}
}
