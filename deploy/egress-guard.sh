#!/usr/bin/env bash
# Nauta's egress guard (see DESIGN.md, "The environment these machines give").
#
# Pod and service ranges are private addresses, so a bug that sends pod or service traffic out of
# the machine would leak it onto whatever network sits behind the default route. This drops packets
# to 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 that would leave through the default route's
# interface, in OUTPUT (this host) and FORWARD (containers), except DNS to the resolvers in
# /etc/resolv.conf (which can sit in a private range). Traffic to public addresses (apt, Maven
# Central), loopback and docker0 / pod bridges is untouched.
#
# Idempotent: the rules live in one chain that is rebuilt on every run, and the jumps to it (from
# OUTPUT, FORWARD and, when Docker is there, DOCKER-USER) are kept first, never doubled. Extra addresses to let through (e.g. a proxy in a private range) can be given as
# NAUTA_EGRESS_ALLOW="10.1.2.3 10.9.0.0/16". Remove everything with --remove.
set -euo pipefail

CHAIN=NAUTA-EGRESS
PRIVATE_RANGES=(10.0.0.0/8 172.16.0.0/12 192.168.0.0/16)
RESOLV_FILES=(/etc/resolv.conf /run/systemd/resolve/resolv.conf)
COMMENT=(-m comment --comment nauta-egress-guard)

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--remove] [-h]

Installs (or refreshes) the iptables chain $CHAIN, jumped to from OUTPUT and FORWARD, that drops
traffic to private ranges leaving through the default route's interface (DNS to the resolvers in
/etc/resolv.conf excepted). --remove takes it out again.
USAGE
}

REMOVE=0
for arg in "$@"; do
  case "$arg" in
    --remove) REMOVE=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

[[ $(id -u) == 0 ]] || { echo "egress-guard: must run as root" >&2; exit 1; }
command -v iptables >/dev/null || { echo "egress-guard: iptables missing (apt-get install iptables)" >&2; exit 1; }

remove_jump() {
  while iptables -C "$1" -j "$CHAIN" 2>/dev/null; do iptables -D "$1" -j "$CHAIN"; done
}

if [[ $REMOVE == 1 ]]; then
  remove_jump OUTPUT
  remove_jump FORWARD
  iptables -S DOCKER-USER >/dev/null 2>&1 && remove_jump DOCKER-USER
  if iptables -S "$CHAIN" >/dev/null 2>&1; then
    iptables -F "$CHAIN"
    iptables -X "$CHAIN"
  fi
  echo "egress-guard: removed $CHAIN"
  exit 0
fi

IFACE=$(ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }}')
if [[ -z $IFACE ]]; then
  echo "egress-guard: no IPv4 default route; nothing leaves this machine, nothing to guard"
  exit 0
fi

# IPv4 resolvers; 127.x resolvers (systemd-resolved's stub) go over lo and need no exception.
NAMESERVERS=()
for f in "${RESOLV_FILES[@]}"; do
  [[ -r $f ]] || continue
  while read -r ns; do
    [[ $ns =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || continue
    [[ $ns == 127.* ]] && continue
    [[ " ${NAMESERVERS[*]-} " == *" $ns "* ]] || NAMESERVERS+=("$ns")
  done < <(awk '$1 == "nameserver" { print $2 }' "$f")
done

iptables -N "$CHAIN" 2>/dev/null || true
iptables -F "$CHAIN"
for ns in "${NAMESERVERS[@]}"; do
  for proto in udp tcp; do
    iptables -A "$CHAIN" -o "$IFACE" -d "$ns" -p "$proto" --dport 53 "${COMMENT[@]}" -j ACCEPT
  done
done
for allowed in ${NAUTA_EGRESS_ALLOW:-}; do
  iptables -A "$CHAIN" -o "$IFACE" -d "$allowed" "${COMMENT[@]}" -j ACCEPT
done
for range in "${PRIVATE_RANGES[@]}"; do
  iptables -A "$CHAIN" -o "$IFACE" -d "$range" "${COMMENT[@]}" -j DROP
done

# The jump must come first: Docker's FORWARD rules accept container traffic leaving docker0, so a
# jump behind them would never see it. When dockerd (re)starts it re-inserts its rules at the top of
# FORWARD, so the guard is also jumped to from DOCKER-USER, the chain Docker keeps first in FORWARD
# and leaves alone across restarts. The jump is moved to the top when it is elsewhere, never doubled.
ensure_first_jump() {
  local parent=$1
  if [[ $(iptables -S "$parent" | grep -c -- "^-A $parent -j $CHAIN\$") == 1 \
      && $(iptables -S "$parent" | grep -m1 '^-A ') == "-A $parent -j $CHAIN" ]]; then
    return 0
  fi
  remove_jump "$parent"
  iptables -I "$parent" 1 -j "$CHAIN"
}
PARENTS=(OUTPUT FORWARD)
iptables -S DOCKER-USER >/dev/null 2>&1 && PARENTS+=(DOCKER-USER)
for parent in "${PARENTS[@]}"; do
  ensure_first_jump "$parent"
done

echo "egress-guard: installed on interface $IFACE (resolvers: ${NAMESERVERS[*]:-none})"
iptables -S "$CHAIN" | sed 's/^/  /'
for parent in "${PARENTS[@]}"; do
  iptables -S "$parent" | grep -- "-j $CHAIN" | sed 's/^/  /'
done
