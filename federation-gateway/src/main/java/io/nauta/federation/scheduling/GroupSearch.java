package io.nauta.federation.scheduling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Karmada's {@code selectGroups}: a depth-first search over groups (regions, zones, providers)
 * sorted by cluster count ascending, score descending, name, for every combination of {@code [min,
 * max]} groups whose clusters reach {@code target}; the best combination has the highest summed
 * score, then the most clusters, then was found first, and a combination that is a prefix of the
 * best one (fewer groups, same leaders) wins over it.
 */
final class GroupSearch {

  /** One group: its name, how many clusters it holds, its score. */
  record Group(String name, int value, long weight) {}

  private record Path(int id, List<Group> groups, long weight, int value) {}

  private GroupSearch() {}

  static List<Group> select(List<Group> groups, int min, int max, int target) {
    if (groups.isEmpty()) {
      return List.of();
    }
    List<Group> sorted =
        groups.stream()
            .sorted(
                Comparator.comparingInt(Group::value)
                    .thenComparing(Comparator.comparingLong(Group::weight).reversed())
                    .thenComparing(Group::name))
            .toList();
    List<Path> paths = new ArrayList<>();
    search(sorted, min, max, target, new ArrayList<>(), 0, 0, paths);
    if (paths.isEmpty()) {
      return List.of();
    }
    return prioritize(paths).groups();
  }

  private static void search(
      List<Group> groups,
      int min,
      int max,
      int target,
      List<Group> path,
      int sum,
      int begin,
      List<Path> paths) {
    if (sum >= target && path.size() >= min && path.size() <= max) {
      paths.add(complete(paths.size(), path));
      return;
    }
    if (path.size() >= max) {
      return;
    }
    for (int i = begin; i < groups.size(); i++) {
      path.add(groups.get(i));
      search(groups, min, max, target, path, sum + groups.get(i).value(), i + 1, paths);
      path.remove(path.size() - 1);
      // When every group is needed to reach the minimum, one path is all there is.
      if (groups.size() == min) {
        break;
      }
    }
  }

  private static Path complete(int id, List<Group> path) {
    long weight = 0;
    int value = 0;
    for (Group g : path) {
      weight += g.weight();
      value += g.value();
    }
    List<Group> ordered =
        path.stream()
            .sorted(Comparator.comparingLong(Group::weight).reversed().thenComparing(Group::name))
            .toList();
    return new Path(id, ordered, weight, value);
  }

  private static Path prioritize(List<Path> paths) {
    List<Path> sorted =
        paths.stream()
            .sorted(
                Comparator.comparingLong(Path::weight)
                    .reversed()
                    .thenComparing(Comparator.comparingInt(Path::value).reversed())
                    .thenComparingInt(Path::id))
            .toList();
    Path best = sorted.get(0);
    for (int i = 1; i < sorted.size(); i++) {
      if (isPrefix(sorted.get(i), best)) {
        best = sorted.get(i);
      }
    }
    return best;
  }

  private static boolean isPrefix(Path sub, Path path) {
    if (sub.groups().size() >= path.groups().size()) {
      return false;
    }
    for (int i = 0; i < sub.groups().size(); i++) {
      if (!sub.groups().get(i).name().equals(path.groups().get(i).name())) {
        return false;
      }
    }
    return true;
  }
}
