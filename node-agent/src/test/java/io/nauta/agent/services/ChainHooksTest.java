package io.nauta.agent.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainHooksTest {

  private static final ChainNames OURS = new ChainNames("NAUTA-abc123");
  private static final String TAG = "-m comment --comment nauta-services";

  /** Records the iptables commands instead of running them. */
  static final class RecordingIptables extends Iptables {
    final List<String> commands = new ArrayList<>();

    @Override
    public void run(String table, List<String> args) {
      commands.add(table + " " + String.join(" ", args));
    }
  }

  private final RecordingIptables iptables = new RecordingIptables();
  private final ChainHooks hooks = new ChainHooks(OURS, iptables);

  private static String save(String nat, String filter) {
    return "*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
        + nat
        + "COMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        + ":DOCKER-USER - [0:0]\n:NAUTA-EGRESS - [0:0]\n"
        + filter
        + "COMMIT\n";
  }

  private static final String ALL_IN_PLACE_NAT =
      "-A PREROUTING "
          + TAG
          + " -j NAUTA-abc123-SERVICES\n"
          + "-A OUTPUT "
          + TAG
          + " -j NAUTA-abc123-SERVICES\n"
          + "-A POSTROUTING "
          + TAG
          + " -j NAUTA-abc123-POSTROUTING\n"
          + "-A POSTROUTING -s 10.244.7.0/24 ! -o br-1 -j MASQUERADE\n";

  private static final String ALL_IN_PLACE_FILTER =
      "-A INPUT "
          + TAG
          + " -j NAUTA-abc123-INPUT\n"
          + "-A FORWARD -m conntrack --ctstate NEW "
          + TAG
          + " -j NAUTA-abc123-SERVICES\n"
          + "-A FORWARD -j DOCKER-USER\n"
          + "-A OUTPUT "
          + TAG
          + " -j NAUTA-abc123-OUTPUT\n"
          + "-A OUTPUT -j NAUTA-EGRESS\n"
          + "-A DOCKER-USER -j NAUTA-EGRESS\n"
          + "-A DOCKER-USER "
          + TAG
          + " -j NAUTA-abc123-FORWARD\n"
          + "-A DOCKER-USER -j RETURN\n";

  @Test
  void insertsMissingHooksFirstAndTheForwardAcceptJustAfterTheEgressGuard() {
    String save =
        save(
            "",
            "-A OUTPUT -j NAUTA-EGRESS\n-A DOCKER-USER -j NAUTA-EGRESS\n-A DOCKER-USER -j RETURN\n");
    assertThat(hooks.ensure(SavedRules.parse(save))).isEqualTo(7);
    assertThat(iptables.commands)
        .containsExactly(
            "nat -I PREROUTING 1 " + TAG + " -j NAUTA-abc123-SERVICES",
            "nat -I OUTPUT 1 " + TAG + " -j NAUTA-abc123-SERVICES",
            "nat -I POSTROUTING 1 " + TAG + " -j NAUTA-abc123-POSTROUTING",
            "filter -I INPUT 1 " + TAG + " -j NAUTA-abc123-INPUT",
            "filter -I OUTPUT 1 " + TAG + " -j NAUTA-abc123-OUTPUT",
            "filter -I FORWARD 1 -m conntrack --ctstate NEW " + TAG + " -j NAUTA-abc123-SERVICES",
            "filter -I DOCKER-USER 2 " + TAG + " -j NAUTA-abc123-FORWARD");
  }

  @Test
  void leavesHooksThatAreInPlaceAlone() {
    assertThat(hooks.ensure(SavedRules.parse(save(ALL_IN_PLACE_NAT, ALL_IN_PLACE_FILTER))))
        .isZero();
    assertThat(iptables.commands).isEmpty();
  }

  @Test
  void movesAHookBackAboveRulesDockerInsertedButNotAboveAnotherAgentsHook() {
    String nat =
        "-A PREROUTING -j NAUTA-fff000-SERVICES\n"
            + "-A PREROUTING "
            + TAG
            + " -j NAUTA-abc123-SERVICES\n"
            + "-A OUTPUT "
            + TAG
            + " -j NAUTA-abc123-SERVICES\n"
            + "-A POSTROUTING -s 10.244.9.0/24 ! -o br-2 -j MASQUERADE\n"
            + "-A POSTROUTING "
            + TAG
            + " -j NAUTA-abc123-POSTROUTING\n";
    assertThat(hooks.ensure(SavedRules.parse(save(nat, ALL_IN_PLACE_FILTER)))).isEqualTo(1);
    assertThat(iptables.commands)
        .containsExactly(
            "nat -D POSTROUTING " + TAG + " -j NAUTA-abc123-POSTROUTING",
            "nat -I POSTROUTING 1 " + TAG + " -j NAUTA-abc123-POSTROUTING");
  }

  @Test
  void movesTheForwardAcceptBehindTheEgressGuard() {
    String filter =
        ALL_IN_PLACE_FILTER.replace(
            "-A DOCKER-USER -j NAUTA-EGRESS\n-A DOCKER-USER " + TAG + " -j NAUTA-abc123-FORWARD\n",
            "-A DOCKER-USER " + TAG + " -j NAUTA-abc123-FORWARD\n-A DOCKER-USER -j NAUTA-EGRESS\n");
    hooks.ensure(SavedRules.parse(save(ALL_IN_PLACE_NAT, filter)));
    assertThat(iptables.commands)
        .containsExactly(
            "filter -D DOCKER-USER " + TAG + " -j NAUTA-abc123-FORWARD",
            "filter -I DOCKER-USER 2 " + TAG + " -j NAUTA-abc123-FORWARD");
  }

  @Test
  void removesOnlyItsOwnJumps() {
    String nat = ALL_IN_PLACE_NAT + "-A PREROUTING -j NAUTA-fff000-SERVICES\n";
    hooks.remove(SavedRules.parse(save(nat, ALL_IN_PLACE_FILTER)), OURS);
    assertThat(iptables.commands)
        .hasSize(7)
        .allMatch(c -> c.contains(" -D ") && c.contains("-j NAUTA-abc123-"));
  }
}
