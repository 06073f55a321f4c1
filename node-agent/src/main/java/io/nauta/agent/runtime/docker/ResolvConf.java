package io.nauta.agent.runtime.docker;

/** A pod's resolv.conf, in the kubelet's layout: search, then nameservers, then options. */
final class ResolvConf {

  private ResolvConf() {}

  static String render(PodDns.Settings settings) {
    StringBuilder out = new StringBuilder();
    if (!settings.searches().isEmpty()) {
      out.append("search ").append(String.join(" ", settings.searches())).append('\n');
    }
    for (String nameserver : settings.nameservers()) {
      out.append("nameserver ").append(nameserver).append('\n');
    }
    if (!settings.options().isEmpty()) {
      out.append("options ").append(String.join(" ", settings.options())).append('\n');
    }
    return out.toString();
  }
}
