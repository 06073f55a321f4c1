package io.nauta.agent.services;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The jumps from the built-in chains (and Docker's DOCKER-USER) into one agent's chains: checked on
 * every sync against iptables-save's output and put back where they belong when missing or out of
 * place, as kube-proxy does with {@code -C} before {@code -I}. Only these few rules are inserted
 * one by one; everything else is one iptables-restore.
 */
public final class ChainHooks {

  private static final Log log = LogFactory.getLog(ChainHooks.class);

  /** The egress guard's chain (deploy/egress-guard.sh): our hooks are placed relative to it. */
  static final String GUARD = "NAUTA-EGRESS";

  private static final String SERVICES_COMMENT = "nauta-services";

  /**
   * @param first before everything but other agents' hooks: before Docker's MASQUERADE (pod-to-pod
   *     keeps its source) and before the egress guard (our DNAT'd node traffic and our REJECTs must
   *     be seen before the guard drops them); else just after the guard's jump (our ACCEPT must
   *     never let through what the guard would drop)
   */
  public record Hook(
      String table, String parent, List<String> match, String target, boolean first) {
    List<String> spec(String comment) {
      List<String> out = new ArrayList<>(match);
      out.addAll(List.of("-m", "comment", "--comment", comment));
      out.add("-j");
      out.add(target);
      return out;
    }
  }

  private final List<Hook> hooks;
  private final String comment;
  private final Iptables iptables;

  /**
   * @param comment what the hooks say they are for ({@code -m comment}), without spaces
   */
  public ChainHooks(List<Hook> hooks, String comment, Iptables iptables) {
    this.hooks = List.copyOf(hooks);
    this.comment = comment;
    this.iptables = iptables;
  }

  /** The service proxy's hooks. */
  ChainHooks(ChainNames names, Iptables iptables) {
    this(
        List.of(
            new Hook("nat", "PREROUTING", List.of(), names.services(), true),
            new Hook("nat", "OUTPUT", List.of(), names.services(), true),
            new Hook("nat", "POSTROUTING", List.of(), names.postrouting(), true),
            new Hook("filter", "INPUT", List.of(), names.input(), true),
            new Hook("filter", "OUTPUT", List.of(), names.output(), true),
            new Hook(
                "filter",
                "FORWARD",
                List.of("-m", "conntrack", "--ctstate", "NEW"),
                names.services(),
                true),
            new Hook("filter", "DOCKER-USER", List.of(), names.forward(), false)),
        SERVICES_COMMENT,
        iptables);
  }

  /** Inserts missing hooks and moves misplaced ones; returns how many were changed. */
  public int ensure(SavedRules saved) {
    int changed = 0;
    for (Hook h : hooks) {
      if (!saved.hasChain(h.table(), h.parent())) {
        continue; // no Docker: no DOCKER-USER and no isolation to undo
      }
      List<String> rules = saved.rules(h.table(), h.parent());
      int at = indexOf(rules, h.target());
      int guard = indexOf(rules, GUARD);
      boolean misplaced =
          at >= 0 && (h.first() ? behindOthers(rules, at) : guard >= 0 && at < guard);
      if (at >= 0 && !misplaced) {
        continue;
      }
      if (misplaced) {
        delete(h.table(), rules.get(at));
        rules = new ArrayList<>(rules);
        rules.remove(at);
        guard = indexOf(rules, GUARD);
      }
      int position = h.first() || guard < 0 ? 1 : guard + 2;
      List<String> args = new ArrayList<>(List.of("-I", h.parent(), String.valueOf(position)));
      args.addAll(h.spec(comment));
      iptables.run(h.table(), args);
      log.info(
          (misplaced ? "moved" : "inserted")
              + " "
              + h.table()
              + " "
              + h.parent()
              + " -j "
              + h.target());
      changed++;
    }
    return changed;
  }

  /** Deletes every jump into {@code names}' chains from chains not its own. */
  public void remove(SavedRules saved, ChainNames names) {
    saved
        .tables()
        .forEach(
            (table, chains) ->
                chains.forEach(
                    (chain, rules) -> {
                      if (names.owns(chain)) {
                        return;
                      }
                      for (String rule : rules) {
                        String target = SavedRules.target(rule);
                        if (target != null && names.owns(target)) {
                          delete(table, rule);
                        }
                      }
                    }));
  }

  /**
   * A graceful stop: deletes every jump into {@code names}' chains, then the chains themselves;
   * returns the rules as they were before.
   */
  public SavedRules removeWithChains(ChainNames names) {
    SavedRules saved = SavedRules.parse(iptables.save());
    remove(saved, names);
    iptables.restore(
        RuleSet.deleteScript(saved.ownChains("nat", names), saved.ownChains("filter", names)));
    return saved;
  }

  private void delete(String table, String savedRule) {
    // "-A PARENT args…" → "-D PARENT args…"; our hooks carry no quoted words.
    List<String> args = new ArrayList<>(Arrays.asList(savedRule.split(" ")));
    args.set(0, "-D");
    iptables.run(table, args);
  }

  /**
   * Docker inserts its rules at the top when it makes a network (e.g. the MASQUERADE of a new
   * bridge in nat POSTROUTING) or restarts: a first hook is misplaced behind any rule but another
   * agent's hook (agents do not fight over the top).
   */
  private static boolean behindOthers(List<String> rules, int at) {
    for (int i = 0; i < at; i++) {
      String target = SavedRules.target(rules.get(i));
      if (target == null || !target.matches(ChainNames.PATTERN)) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(List<String> rules, String target) {
    for (int i = 0; i < rules.size(); i++) {
      if (target.equals(SavedRules.target(rules.get(i)))) {
        return i;
      }
    }
    return -1;
  }
}
