#!/usr/bin/env bash
# CI stage: the container fleet of docs/ci.md, for real. Called by .ci/run after the test suite;
# any failure fails CI (there is no skip: an engine that cannot start is a failure, with its log).
#
# - Installs docker.io and debootstrap with apt if they are missing.
# - Starts its own dockerd: data root, exec root and socket under a temporary directory; no
#   iptables rules, no IP forwarding or masquerading, no default bridge. The only change to the
#   host's network is the fleet's own bridge (172.30.42.0/24, removed by `fleet down`); SSH ports
#   are published on 127.0.0.1 only. dockerd is stopped at the end, also on failure.
# - Builds the base image without any registry: a Debian root made by debootstrap from the
#   machine's Debian mirror, plus this machine's node binary, imported with `docker import`.
#   The root's tarball is cached in $ORCHESTRATE_CI_CACHE (default /var/cache/orchestrate-ci),
#   keyed by Debian release and Node version.
# - Then, on topologies/storage-pair.yaml (a pair: 2 VMs, 2 hypervisors, 5 containers):
#   fleet up --containers, up, fleet verify, check, failover, failback, check, down, fleet verify,
#   fleet down; then a hang fault: up must exit 1 and the hung command must be killed.
# Every stage is timed; the timings are printed at the end (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || exec sudo --preserve-env=PATH,ORCHESTRATE_CI_CACHE "$0" "$@"

CACHE=${ORCHESTRATE_CI_CACHE:-/var/cache/orchestrate-ci}
RELEASE=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
RELEASE=${RELEASE:-bookworm}
MIRROR=$(grep -shoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* | grep -v security | head -n1 | tr -d ' ' || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
NODE_VERSION=$(node --version)
KEY="debian-$RELEASE-node-$NODE_VERSION"
BASE_IMAGE="orchestrate-ci-base:$KEY"
TOPOLOGY=topologies/storage-pair.yaml
ORCH=(node "$PWD/bin/orchestrate.js")

WORK=$(mktemp -d /tmp/orchestrate-ci-containers.XXXXXX)
export DOCKER_HOST="unix://$WORK/docker.sock"
TIMINGS=()
DOCKERD_PID=""
# Stages passed, and how many there are: written to $ORCHESTRATE_CI_RESULTS at the end ("PASSED TOTAL"),
# so .ci/run's closing line counts them (a stage not reached because an earlier one failed counts as failed).
PASSED=0
TOTAL=$(grep -c '^stage "' "$0")

say() { echo "containers: $*"; }
fail() { echo "containers: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
# stage NAME COMMAND...: runs it, records how long it took.
stage() {
  local name=$1 t0 rc=0
  shift
  say "== $name"
  t0=$(now)
  "$@" || rc=$?
  TIMINGS+=("$(printf '%-34s %6.1fs%s' "$name" "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')" "$([ $rc = 0 ] || echo "  FAILED (exit $rc)")")")
  [ $rc = 0 ] || fail "$name (exit $rc)"
  PASSED=$((PASSED + 1))
}

cleanup() {
  local rc=$?
  set +e
  for dir in "$WORK/fleet" "$WORK/fault"; do
    [ -f "$dir/containers.json" ] && "${ORCH[@]}" fleet down --state "$dir"
  done
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    kill -TERM "$DOCKERD_PID"
    for _ in $(seq 1 100); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$DOCKERD_PID" 2>/dev/null && { say "dockerd did not stop in 20s: killing it"; kill -KILL "$DOCKERD_PID"; }
  fi
  # What dockerd left mounted under its data root (only after a kill), deepest first.
  findmnt -rn -o TARGET | grep "^$WORK/" | sort -r | xargs -r umount -l
  rm -rf "$WORK"
  [ -n "${ORCHESTRATE_CI_RESULTS:-}" ] && echo "$PASSED $TOTAL" >"$ORCHESTRATE_CI_RESULTS"
  if [ ${#TIMINGS[@]} -gt 0 ]; then
    echo "containers: stage timings (base image cache: ${CACHE_STATE:-?})"
    printf '  %s\n' "${TIMINGS[@]}"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_tools() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  [ ${#need[@]} -eq 0 ] && return 0
  say "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

start_engine() {
  dockerd --data-root "$WORK/data" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" -H "$DOCKER_HOST" \
    --storage-driver overlay2 --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
    >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 150); do
    docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && { say "dockerd $(docker version --format '{{.Server.Version}}') on $DOCKER_HOST"; return 0; }
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "containers: the Docker engine did not start; the end of its log ($WORK/dockerd.log):" >&2
  tail -n 25 "$WORK/dockerd.log" >&2
  return 1
}

# A Debian root from the mirror plus this machine's node: no image registry involved.
base_image() {
  local tarball="$CACHE/base-$KEY.tar"
  if [ -f "$tarball" ]; then
    CACHE_STATE="warm ($tarball)"
  else
    CACHE_STATE="cold (made $tarball)"
    say "debootstrap $RELEASE from $MIRROR"
    debootstrap --variant=minbase "$RELEASE" "$WORK/root" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
      || { tail -n 20 "$WORK/debootstrap.log" >&2; return 1; }
    install -m 0755 "$(command -v node)" "$WORK/root/usr/local/bin/node"
    rm -rf "$WORK"/root/usr/share/{doc,man,locale}/* "$WORK"/root/var/lib/apt/lists/* "$WORK"/root/var/cache/apt/*.bin
    mkdir -p "$CACHE"
    tar -C "$WORK/root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$WORK/root"
  fi
  docker import --message "orchestrate CI base: Debian $RELEASE + node $NODE_VERSION" "$tarball" "$BASE_IMAGE" >/dev/null
  docker run --rm "$BASE_IMAGE" node --version >/dev/null
}

# The event log as it is now, from the controller container, then fleet verify on it.
verify() {
  docker cp orchestrate-fleet-storage-pair-controller:/fleet/state/events.jsonl "$WORK/events.jsonl"
  "${ORCH[@]}" fleet verify "$WORK/events.jsonl" --topology "$TOPOLOGY" --action "$1"
}

fleet_up() { "${ORCH[@]}" fleet up "$TOPOLOGY" --containers --base-image "$BASE_IMAGE" --state "$@"; }
run() { "${ORCH[@]}" --state-dir "$WORK/state" "$@"; }

hang_fault() {
  local rc=0
  run up "$TOPOLOGY" --fleet "$WORK/fault" >"$WORK/fault-up.log" 2>&1 || rc=$?
  cat "$WORK/fault-up.log"
  [ $rc = 1 ] || { echo "up with a hang fault exited $rc, expected 1" >&2; return 1; }
  grep -q 'timed out after .* (command killed)' "$WORK/fault-up.log" || { echo "up did not report the hung command killed" >&2; return 1; }
}

fault_killed() {
  "${ORCH[@]}" fleet down --state "$WORK/fault"
  # The controller logged the hung command as killed (command-done, signal TERM).
  node -e '
    const events = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const hung = events.find((e) => e.type === "command" && e.host === "acd-store1" && e.command.startsWith("drbdadm up"));
    const done = hung && events.find((e) => e.type === "command-done" && e.id === hung.id);
    if (!done || done.signal !== "TERM") { console.error("the hung command was not killed in the controller:", JSON.stringify(done ?? hung ?? null)); process.exit(1); }
    console.log("the hung command was killed in the controller:", JSON.stringify(done));
  ' "$WORK/fault/events.jsonl"
}

stage "install docker.io, debootstrap" install_tools
stage "start dockerd" start_engine
stage "base image (no registry)" base_image
stage "fleet up --containers" fleet_up "$WORK/fleet"
stage "up" run up "$TOPOLOGY" --fleet "$WORK/fleet"
stage "fleet verify (up)" verify up
stage "check" run check "$TOPOLOGY" --fleet "$WORK/fleet"
stage "failover -s a" run failover "$TOPOLOGY" -s a --fleet "$WORK/fleet"
stage "failback -s a" run failback "$TOPOLOGY" -s a --fleet "$WORK/fleet"
stage "check" run check "$TOPOLOGY" --fleet "$WORK/fleet"
stage "down" run down "$TOPOLOGY" --fleet "$WORK/fleet"
stage "fleet verify (down)" verify down
stage "fleet down" "${ORCH[@]}" fleet down --state "$WORK/fleet"
# Time scale 0.01: the hung step's timeout (5m) is 3s instead of 30s.
stage "fleet up --containers (hang fault)" fleet_up "$WORK/fault" --time-scale 0.01 --fault 'acd-store1:hang=drbdadm up'
stage "up with the hang: exits 1" hang_fault
stage "fleet down; the hang was killed" fault_killed
say "the container flow passed"
