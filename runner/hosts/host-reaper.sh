# The per-host reaper (runner/hosts/host-reaper.ts): started over the run's SSH master, it reads registrations
# on stdin and acknowledges each; when stdin ends — the run closed it, or the connection dropped because the
# runner died — it kills the registered nodes, removes the registered iptables chains and dirs, and exits.
# POSIX sh plus kill, iptables, systemctl and rm: nothing to install on the host.
set -u
pidfiles=""; chains=""; dirs=""; units=""
reap() {
  for f in $pidfiles; do
    [ -f "$f" ] || continue
    p=$(cat "$f" 2>/dev/null) || continue
    case "$p" in ''|*[!0-9]*) continue;; esac
    kill -CONT -"$p" 2>/dev/null; kill -9 -"$p" 2>/dev/null || kill -9 "$p" 2>/dev/null
    echo "reaped pid $p ($f)"
  done
  for u in $units; do systemctl kill --signal=SIGKILL "$u" 2>/dev/null; systemctl stop "$u" 2>/dev/null; echo "reaped unit $u"; done
  for c in $chains; do
    while iptables -w 5 -D INPUT -j "$c" 2>/dev/null; do :; done
    iptables -w 5 -F "$c" 2>/dev/null; iptables -w 5 -X "$c" 2>/dev/null && echo "reaped chain $c"
  done
  for d in $dirs; do rm -rf "$d" && echo "reaped dir $d"; done
}
trap '' HUP PIPE
echo "ready $$"
while read -r kind arg; do
  case "$kind" in
    pidfile) pidfiles="$pidfiles $arg";;
    chain) chains="$chains $arg";;
    dir) dirs="$dirs $arg";;
    unit) units="$units $arg";;
    *) echo "error unknown kind $kind"; continue;;
  esac
  echo "ok $kind $arg"
done
reap
echo "done"
