#!/usr/bin/env bash
# Builds the container images that Nauta's tests and examples use, from binaries on this host.
# No registry is reachable on these machines, so every image is a `docker import` of a small root
# file system:
#   nauta/busybox:local  Debian's busybox (the dynamically linked one of the package busybox, with
#                        its libraries; else busybox-static) with its applets in /bin (CMD sh);
#                        /bin/wget is wget-timeout.sh when that wget cannot take -T (Debian 12's)
#   alpine:3.17          the same file system; Testcontainers runs it for its start-up checks
#   nauta/redis:local    redis-server + the libraries ldd lists + the dynamic loader, on top of the
#                        busybox file system (Testcontainers' port wait execs /bin/sh, grep and nc
#                        inside the container)
#   nauta/curl:local     curl + its libraries on the busybox file system: an in-cluster HTTPS client
#                        that verifies the server against a CA file (busybox's wget cannot), for pods
#                        that call the API server with their service account token
#   nauta/wsecho:local   wsecho.c (a WebSocket echo server) compiled statically with the host's gcc:
#                        the backend behind the ingress tests' WebSocket route
# Idempotent: an image built by this recipe (label io.nauta.images.recipe) is left alone unless
# --force is given.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--force] [-h]

Builds nauta/busybox:local, alpine:3.17, nauta/redis:local, nauta/curl:local and
nauta/wsecho:local with 'docker import' from the busybox of the Debian package busybox
(BUSYBOX_DEB, apt's cache or apt-get download; else /bin/busybox of busybox-static),
/usr/bin/redis-server, /usr/bin/curl and wsecho.c (compiled with gcc).
  --force   rebuild images that already exist
USAGE
}

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done

BUSYBOX_IMAGE=nauta/busybox:local
ALPINE_IMAGE=alpine:3.17
REDIS_IMAGE=nauta/redis:local
BUSYBOX_BIN=${BUSYBOX_BIN:-/bin/busybox}
REDIS_BIN=${REDIS_BIN:-/usr/bin/redis-server}
CURL_IMAGE=nauta/curl:local
CURL_BIN=${CURL_BIN:-/usr/bin/curl}
WSECHO_IMAGE=nauta/wsecho:local

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { echo "[images] $*"; }
die() { echo "[images] error: $*" >&2; exit 1; }

docker info >/dev/null 2>&1 || die "docker does not answer (is dockerd running?)"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
# Every image carries the recipe it was built from (this script and the files it copies in), so an
# image from an older recipe is built again without --force.
RECIPE=$(cat "$HERE/build.sh" "$HERE/wget-timeout.sh" "$HERE/wsecho.c" | sha256sum | cut -c1-16)
RECIPE_LABEL=io.nauta.images.recipe
recipe_of() { docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null; }
needs_build() { [[ $FORCE == 1 ]] || ! image_exists "$1" || [[ $(recipe_of "$1") != "$RECIPE" ]]; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nauta-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Which busybox goes into the images. Debian 12 builds both of its busyboxes without
# FEATURE_WGET_TIMEOUT, and their wget then writes -T's number through a null pointer: `wget -T 5`
# dies of SIGSEGV (exit 139). wget-timeout.sh, installed as /bin/wget, runs it under `timeout`
# instead; but the static build (busybox-static, the rescue shell) has FEATURE_SH_STANDALONE, so its
# sh runs its own applets before looking at PATH and never reaches that wrapper. Hence the
# dynamically linked busybox of the package 'busybox' (same version, same applets but for crond, dpkg,
# su, tc, telnetd and a few more), with the libraries ldd lists, whose sh honours PATH. Its .deb:
# BUSYBOX_DEB, else apt's cache, else `apt-get download busybox`; without one, the static busybox
# (BUSYBOX_BIN, package busybox-static) as before, where `wget -T` from sh crashes.
BUSYBOX_DEB=${BUSYBOX_DEB:-}
busybox_deb() {
  local deb
  if [[ -n $BUSYBOX_DEB ]]; then
    echo "$BUSYBOX_DEB"
    return
  fi
  local cache=/var/cache/apt/archives
  deb=$(ls -t "$cache"/busybox_*.deb 2>/dev/null | head -1 || true)
  if [[ -z $deb ]]; then
    # Into apt's cache when we may write there (root), so the next build finds it offline.
    [[ -w $cache ]] || cache=$WORK
    (cd "$cache" && apt-get download busybox >/dev/null 2>&1) || true
    deb=$(ls -t "$cache"/busybox_*.deb 2>/dev/null | head -1 || true)
  fi
  echo "$deb"
}
BUSYBOX_DYNAMIC=
choose_busybox() {
  [[ -z $BUSYBOX_DYNAMIC ]] || return 0
  local deb
  deb=$(busybox_deb)
  if [[ -n $deb ]] && dpkg-deb -x "$deb" "$WORK/busybox-deb" && [[ -x $WORK/busybox-deb/bin/busybox ]]; then
    BUSYBOX_DYNAMIC=$WORK/busybox-deb/bin/busybox
    log "busybox: $(basename "$deb") (dynamically linked)"
  else
    BUSYBOX_DYNAMIC=none
    log "warning: no .deb of the package busybox (set BUSYBOX_DEB or run apt-get download busybox):" \
      "using $BUSYBOX_BIN, whose wget crashes on -T from sh"
  fi
}

# A root file system with busybox, its applets, a minimal user database and /tmp.
make_busybox_rootfs() {
  local root=$1
  choose_busybox
  mkdir -p "$root"/{bin,etc,tmp,root,proc,sys,dev,var/tmp,usr/bin,data}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  if [[ $BUSYBOX_DYNAMIC != none ]]; then
    cp "$BUSYBOX_DYNAMIC" "$root/bin/busybox"
    copy_libs "$root" "$BUSYBOX_DYNAMIC"
  else
    [[ -x $BUSYBOX_BIN ]] || die "$BUSYBOX_BIN missing: apt-get install busybox-static"
    if ldd "$BUSYBOX_BIN" >/dev/null 2>&1; then
      die "$BUSYBOX_BIN is dynamically linked: install busybox-static, or give BUSYBOX_DEB"
    fi
    cp "$BUSYBOX_BIN" "$root/bin/busybox"
  fi
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"
  done
  cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
  cat >"$root/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
  if ! "$root/bin/busybox" wget --help 2>&1 | grep -q -- '-T SEC'; then
    rm "$root/bin/wget"
    install -m 0755 "$HERE/wget-timeout.sh" "$root/bin/wget"
  fi
}

# Copies what ldd says a binary loads (including the dynamic loader) into a root file system,
# keeping their paths.
copy_libs() {
  local root=$1 real=$2 lib
  for lib in $(ldd "$real" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

# Copies a binary and its libraries into a root file system, keeping their paths.
copy_with_libs() {
  local root=$1 bin=$2 real
  real=$(readlink -f "$bin")
  mkdir -p "$root$(dirname "$bin")"
  cp "$real" "$root$bin"
  copy_libs "$root" "$real"
}

# Images that a rebuild replaced; removed at the end if no tag refers to them any more, so --force
# does not pile up dangling images.
REPLACED=()
remember_old() {
  local id
  id=$(docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true)
  [[ -n $id ]] && REPLACED+=("$id")
  return 0
}
remove_replaced() {
  local id
  for id in "${REPLACED[@]}"; do
    if [[ -z $(docker image inspect --format '{{join .RepoTags ","}}' "$id" 2>/dev/null) ]]; then
      docker image rm "$id" >/dev/null 2>&1 || true
    fi
  done
}

import_rootfs() {
  local root=$1 image=$2
  shift 2
  remember_old "$image"
  tar -C "$root" -c . | docker import --change "LABEL $RECIPE_LABEL=$RECIPE" "$@" - "$image" >/dev/null
  log "built $image"
}

if needs_build "$BUSYBOX_IMAGE"; then
  make_busybox_rootfs "$WORK/busybox"
  import_rootfs "$WORK/busybox" "$BUSYBOX_IMAGE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["sh"]'
else
  log "$BUSYBOX_IMAGE exists"
fi

if needs_build "$ALPINE_IMAGE"; then
  remember_old "$ALPINE_IMAGE"
  docker tag "$BUSYBOX_IMAGE" "$ALPINE_IMAGE"
  log "tagged $BUSYBOX_IMAGE as $ALPINE_IMAGE"
else
  log "$ALPINE_IMAGE exists"
fi

if needs_build "$REDIS_IMAGE"; then
  [[ -e $REDIS_BIN ]] || die "$REDIS_BIN missing: apt-get install redis-server"
  make_busybox_rootfs "$WORK/redis"
  copy_with_libs "$WORK/redis" "$REDIS_BIN"
  import_rootfs "$WORK/redis" "$REDIS_IMAGE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /data' \
    --change 'EXPOSE 6379' \
    --change 'CMD ["redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no"]'
else
  log "$REDIS_IMAGE exists"
fi

if needs_build "$CURL_IMAGE"; then
  [[ -e $CURL_BIN ]] || die "$CURL_BIN missing: apt-get install curl"
  make_busybox_rootfs "$WORK/curl"
  copy_with_libs "$WORK/curl" "$CURL_BIN"
  import_rootfs "$WORK/curl" "$CURL_IMAGE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["sh"]'
else
  log "$CURL_IMAGE exists"
fi

if needs_build "$WSECHO_IMAGE" && ! command -v gcc >/dev/null; then
  # Only the ingress tests run it: Nauta itself does not need it.
  log "warning: gcc missing (apt-get install gcc libc6-dev): $WSECHO_IMAGE not built"
elif needs_build "$WSECHO_IMAGE"; then
  mkdir -p "$WORK/wsecho/bin"
  gcc -static -O2 -o "$WORK/wsecho/bin/wsecho" "$HERE/wsecho.c"
  import_rootfs "$WORK/wsecho" "$WSECHO_IMAGE" \
    --change 'EXPOSE 8080' \
    --change 'CMD ["/bin/wsecho", "8080"]'
else
  log "$WSECHO_IMAGE exists"
fi

remove_replaced
