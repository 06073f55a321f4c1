package io.nauta.agent.netpol;

import io.nauta.agent.services.ChainHooks;
import io.nauta.agent.services.ChainNames;
import io.nauta.agent.services.Iptables;
import io.nauta.agent.services.RuleSet;
import io.nauta.agent.services.SavedRules;
import java.util.List;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The Docker runtime's enforcement, in the service proxy's manner: the whole set of chains rendered
 * and written with one {@code iptables-restore --noflush} (packets see the old rules or the new
 * ones), stale chains of its own deleted in the same transaction, the FORWARD and INPUT jumps
 * checked after each write and put back first if Docker moved them; on close, the jumps and the
 * chains removed.
 */
public final class IptablesPolicies implements PolicyEnforcement {

  private static final Log log = LogFactory.getLog(IptablesPolicies.class);

  private final ChainNames names;
  private final Iptables iptables;
  private final ChainHooks hooks;
  private volatile List<PodFirewall> current = List.of();

  /**
   * @param names this agent's network policy chains: a prefix of their own, which the service proxy
   *     (deleting every chain of its prefix it no longer wants) never sees as its own
   */
  public IptablesPolicies(ChainNames names, Iptables iptables) {
    this.names = names;
    this.iptables = iptables;
    this.hooks =
        new ChainHooks(
            List.of(
                new ChainHooks.Hook("filter", "FORWARD", List.of(), PolicyChains.main(names), true),
                new ChainHooks.Hook("filter", "INPUT", List.of(), PolicyChains.main(names), true)),
            "nauta-netpol",
            iptables);
  }

  public ChainNames names() {
    return names;
  }

  @Override
  public synchronized void apply(List<PodFirewall> pods) {
    RuleSet wanted =
        new RuleSet(new RuleSet.Table(Set.of(), List.of()), PolicyChains.render(pods, names));
    SavedRules saved = SavedRules.parse(iptables.save());
    iptables.restore(
        wanted.restoreScript(saved.ownChains("nat", names), saved.ownChains("filter", names)));
    hooks.ensure(saved);
    if (!pods.equals(current)) {
      log.info("network policy: " + pods.size() + " isolated pod(s) on this host's iptables");
    }
    current = List.copyOf(pods);
  }

  @Override
  public List<PodFirewall> current() {
    return current;
  }

  @Override
  public synchronized void close() {
    try {
      hooks.removeWithChains(names);
      log.info("network policy: removed the chains " + names.prefix() + "-*");
    } catch (RuntimeException e) {
      log.warn(
          "network policy: could not remove its chains "
              + names.prefix()
              + "-*: "
              + e.getMessage());
    }
    current = List.of();
  }
}
