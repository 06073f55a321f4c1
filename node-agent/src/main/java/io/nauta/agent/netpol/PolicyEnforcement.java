package io.nauta.agent.netpol;

import java.util.List;

/** Where the computed firewalls go: this host's iptables, or a record of them. */
public interface PolicyEnforcement extends AutoCloseable {

  /** Puts the firewalls in place, replacing what was there. */
  void apply(List<PodFirewall> pods);

  /** What is in place now. */
  List<PodFirewall> current();

  /** Removes everything this enforcement put in place. */
  @Override
  void close();
}
