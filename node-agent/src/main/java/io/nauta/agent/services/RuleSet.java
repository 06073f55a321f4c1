package io.nauta.agent.services;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The chains and rules one agent wants in the nat and filter tables, in iptables-restore syntax
 * ({@code -A CHAIN …}).
 */
public record RuleSet(Table nat, Table filter) {

  /** A table's chains (all ours, created or flushed on apply) and their rules in order. */
  public record Table(Set<String> chains, List<String> rules) {
    public Table {
      chains = new LinkedHashSet<>(chains);
      rules = List.copyOf(rules);
    }
  }

  public int ruleCount() {
    return nat.rules().size() + filter.rules().size();
  }

  /**
   * The input of {@code iptables-restore --noflush}: every chain of ours is declared (created, or
   * flushed if it exists) and refilled; chains of ours that exist but are no longer wanted are
   * flushed and deleted. One transaction per table, so packets see the old rules or the new ones.
   *
   * @param existingNat chains of ours present in the nat table now
   * @param existingFilter chains of ours present in the filter table now
   */
  public String restoreScript(Set<String> existingNat, Set<String> existingFilter) {
    StringBuilder out = new StringBuilder();
    table(out, "nat", nat, existingNat);
    table(out, "filter", filter, existingFilter);
    return out.toString();
  }

  /** Input that flushes and deletes the given chains (the agent stops). */
  public static String deleteScript(Set<String> nat, Set<String> filter) {
    return new RuleSet(new Table(Set.of(), List.of()), new Table(Set.of(), List.of()))
        .restoreScript(nat, filter);
  }

  private static void table(StringBuilder out, String name, Table wanted, Set<String> existing) {
    List<String> stale = new ArrayList<>();
    for (String chain : existing) {
      if (!wanted.chains().contains(chain)) {
        stale.add(chain);
      }
    }
    if (wanted.chains().isEmpty() && stale.isEmpty()) {
      return;
    }
    out.append('*').append(name).append('\n');
    for (String chain : wanted.chains()) {
      out.append(':').append(chain).append(" - [0:0]\n");
    }
    for (String chain : stale) {
      out.append(':').append(chain).append(" - [0:0]\n");
    }
    for (String rule : wanted.rules()) {
      out.append(rule).append('\n');
    }
    for (String chain : stale) {
      out.append("-X ").append(chain).append('\n');
    }
    out.append("COMMIT\n");
  }
}
