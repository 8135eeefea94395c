# Shared by the fake tools of the OpenSSH fleet (bench/openssh-fleet.ts). RF_DIR and RF_VM come
# from the sshd's SetEnv; timings from $RF_DIR/timings (shell assignments). Builtins only where
# it matters: a real `systemctl is-active` costs a few milliseconds, so must these.
. "$RF_DIR/timings"
state="$RF_DIR/state"
now_ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }
active() { [[ -f $state/$1/units/$2 ]]; }
# Milliseconds since a unit became active (-1 when not active).
active_for() {
  local f=$state/$1/units/$2 v
  [[ -f $f ]] || { echo -1; return; }
  read -r v < "$f"; local t=${EPOCHREALTIME/./}; echo $(( t / 1000 - v ))
}
# A VM's power: running while it boots or its sshd runs.
vm_state() {
  local d=$state/$1 p=
  [[ -f $d/booting ]] && { echo running; return; }
  [[ -f $d/sshd.pid ]] && read -r p < "$d/sshd.pid"
  if [[ -n $p ]] && kill -0 "$p" 2>/dev/null; then echo running; else echo 'shut off'; fi
}
