#!/bin/sh
# /bin/wget in the busybox images when busybox is built without FEATURE_WGET_TIMEOUT (Debian 12's
# busybox-static 1.35 is): that build still accepts -T but writes its number through a null
# pointer, so `wget -T 5 ...` dies of SIGSEGV (exit 139) before it does anything. This wrapper
# takes -T SEC / -TSEC / --timeout=SEC / --timeout SEC off the command line and runs busybox's wget
# under busybox's timeout instead (a bound on the whole download, where a wget built with the
# feature bounds each network read); a download cut off that way says so and exits 1, as such a
# wget does. Every other argument goes to busybox's wget unchanged.
timeout_secs=
count=$#
i=0
take_next=0
while [ "$i" -lt "$count" ]; do
  arg=$1
  shift
  i=$((i + 1))
  if [ "$take_next" = 1 ]; then
    set -- "$@" "$arg"
    take_next=0
    continue
  fi
  case $arg in
    --)
      set -- "$@" "$arg"
      while [ "$i" -lt "$count" ]; do
        set -- "$@" "$1"
        shift
        i=$((i + 1))
      done
      ;;
    --timeout=*) timeout_secs=${arg#--timeout=} ;;
    --timeout)
      timeout_secs=$1
      shift
      i=$((i + 1))
      ;;
    --*=*) set -- "$@" "$arg" ;;
    --output-document | --output-file | --directory-prefix | --proxy | --user-agent | --tries | \
      --header | --post-data | --post-file)
      set -- "$@" "$arg"
      take_next=1
      ;;
    --*) set -- "$@" "$arg" ;;
    -?*)
      # A cluster of short options, e.g. -qT5 or -qO-: T and its value leave it; an option with an
      # argument (O o P Y U t) ends the cluster, its argument being the rest or the next word.
      rest=${arg#-}
      kept=-
      while [ -n "$rest" ]; do
        c=${rest%"${rest#?}"}
        rest=${rest#?}
        case $c in
          T)
            if [ -n "$rest" ]; then
              timeout_secs=$rest
            else
              timeout_secs=$1
              shift
              i=$((i + 1))
            fi
            rest=
            ;;
          [OoPYUt])
            kept=$kept$c$rest
            [ -n "$rest" ] || take_next=1
            rest=
            ;;
          *) kept=$kept$c ;;
        esac
      done
      [ "$kept" = - ] || set -- "$@" "$kept"
      ;;
    *) set -- "$@" "$arg" ;;
  esac
done
if [ -z "$timeout_secs" ]; then
  exec /bin/busybox wget "$@"
fi
case $timeout_secs in
  '' | *[!0-9]*)
    echo "wget: invalid number '$timeout_secs'" >&2
    exit 1
    ;;
esac
/bin/busybox timeout "$timeout_secs" /bin/busybox wget "$@"
status=$?
if [ "$status" = 143 ]; then
  echo "wget: download timed out" >&2
  exit 1
fi
exit "$status"
