package io.nauta.agent.services;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** iptables-save's output, parsed: per table, each chain and its rules ({@code -A} lines). */
public record SavedRules(Map<String, Map<String, List<String>>> tables) {

  public static SavedRules parse(String save) {
    Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
    Map<String, List<String>> table = null;
    for (String line : save.split("\n")) {
      if (line.startsWith("*")) {
        table = tables.computeIfAbsent(line.substring(1).trim(), t -> new LinkedHashMap<>());
      } else if (table != null && line.startsWith(":")) {
        table.computeIfAbsent(line.substring(1).split(" ")[0], c -> new ArrayList<>());
      } else if (table != null && line.startsWith("-A ")) {
        String chain = line.substring(3).split(" ")[0];
        table.computeIfAbsent(chain, c -> new ArrayList<>()).add(line);
      }
    }
    return new SavedRules(tables);
  }

  /** The rules of a chain, empty when the table or chain is missing. */
  public List<String> rules(String table, String chain) {
    return tables.getOrDefault(table, Map.of()).getOrDefault(chain, List.of());
  }

  boolean hasChain(String table, String chain) {
    return tables.getOrDefault(table, Map.of()).containsKey(chain);
  }

  /** Chains of the table that {@code names} owns. */
  public Set<String> ownChains(String table, ChainNames names) {
    Set<String> out = new LinkedHashSet<>();
    for (String chain : tables.getOrDefault(table, Map.of()).keySet()) {
      if (names.owns(chain)) {
        out.add(chain);
      }
    }
    return out;
  }

  /** The jump target of a rule ({@code -j X}), or null. */
  static String target(String rule) {
    String[] words = rule.split(" ");
    for (int i = 0; i < words.length - 1; i++) {
      if (words[i].equals("-j")) {
        return words[i + 1];
      }
    }
    return null;
  }
}
