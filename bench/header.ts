/** The explanatory part of docs/benchmarks.md, written when the file has no results markers yet. */
export const HEADER = `# Benchmarks

\`npm run bench\` runs the suite in \`bench/\`, prints a table and rewrites the **Results** section at the end of
this file (between the \`bench:results\` markers; the text above them is kept as it is). The numbers only
describe one run on one machine: nothing here passes or fails on a timing. Every benchmark checks that what it
timed really worked (exit code 0, every VM on after \`up\` and off after \`down\`) and aborts the group otherwise.

Statistics: **median** and **p90** (nearest rank) over **n** samples, in milliseconds. **rate** is a throughput
at the median (items per sample ÷ median). On a 2-core machine another busy process (a test run, a build) moves
these numbers by tens of percent; compare runs from a quiet machine only.

## What each benchmark measures

1. **Planning** (\`bench/plan.ts\`): one full \`loadTopology\` + \`buildGraph\` + \`buildPlan('up')\`, the work behind
   \`orchestrate plan\` and the start of every \`up\`/\`down\`: YAML parse with positions, schema checks, playbook
   loading, variable checks, the host graph and its cycle check, waves and per-host steps.
   - \`topologies/large.yaml\` (24 hosts) read from disk (playbooks from \`playbooks/\`; the OS file cache is warm).
   - A synthetic topology of 500 hosts over the same 10 jtel roles and role dependencies, generated in memory
     (10 storage, 10 lb, 10 db-master, 20 db-slave, 10 db-reporting, 100 telephony, 150 web, 80 api, 80 chat,
     30 chatbot). Role dependencies fan out to every carrier of the role, so this graph has about 16 800 host edges.
2. **SSH exec, simulated host** (\`bench/ssh.ts\`): \`SshTransport.exec\` (the engine's pooled client, including the
   process-group wrapper every command gets) against an in-process ssh2 \`Server\` (\`lib/fleet/ssh-host.ts\`) whose
   handler returns exit code 0 at once. Client and server share one event loop, so each number is the client's
   and the server's CPU together. Rows: connect + first exec on a new transport each time (TCP, key exchange,
   host-key check, public-key auth, one exec); sequential execs on the pooled connection; 100 concurrent execs
   on one connection (the client keeps at most \`maxSessions − 2\` channels open, one slot kept for kills).
3. **SSH exec, real OpenSSH** (\`bench/ssh.ts\`): the same rows against a throwaway \`sshd\` on 127.0.0.1
   (\`spec/support/openssh.ts\`, \`MaxSessions 10\`, ed25519 keys, logging in as the current user), 40 concurrent
   \`true\`. Skipped with a note where no sshd can be started.
   **The root \`~/.bashrc\` on this machine runs \`pyenv init\` and \`pyenv virtualenv-init\`**, and Debian's bash sources
   \`~/.bashrc\` even for \`ssh host cmd\`. That start-up dominates every exec, so the suite measures both: an sshd
   with \`SetEnv SHLVL=1\` (bash reads \`~/.bashrc\` for sshd only as a top-level shell, so it skips it: this is the
   cost of SSH itself) and an sshd as configured (what a command on this machine really costs). The
   **local shell** rows time \`bash -c true\` and \`bash -c '. ~/.bashrc; true'\` spawned locally, to show the
   share of the rc file.
4. **End to end** (\`bench/e2e.ts\`): \`main(['--state-dir', dir, 'up', file])\` and then \`down\`, as in
   \`spec/e2e/small.spec.ts\`, against simulated VMs and libvirt hypervisors (\`spec/support/mini-platform.ts\`,
   which simulates several hypervisors): \`virsh start\` makes the VM's SSH
   answer after 30 ms, \`systemctl poweroff\` switches it off after 30 ms; every service command and check
   succeeds at once. Poll interval 10 ms. The topologies are \`small.yaml\` (5 VMs, one hypervisor) and
   \`medium.yaml\` (10 VMs on kvm1 and kvm2, both simulated, each knowing only its own VMs), with addresses
   and ports rewritten to the simulation. One untimed warm-up cycle, then up/down cycles.
   - **wall**: time for the whole command, including reading the topology, planning, connecting to every
     VM and hypervisor, the boot/shutdown polls, all steps and checks, and writing the state file.
   - **overhead**: wall − the critical path of the simulated waits. The critical path is computed from the
     plan: a host's wait starts once everything it waits for is done (for an \`after\` link: once it is
     started) and lasts 30 ms. That is waves × 30 ms, except where an \`after\` link lets a wave start
     early (medium \`up\`: 5 waves but 4 × 30 ms, because \`db-master\` only comes *after* \`lb\`). The overhead
     includes the polling granularity (up to one 10 ms poll interval per wait), SSH connects to freshly booted
     VMs, and the CPU of the simulated servers, which run in the same process.
5. **Simulated fleet** (\`bench/fleet.ts\`): \`startFleet\` of each shipped topology at time scale 0.01 (a 20 s
   boot takes 200 ms, a shutdown 80 ms), then \`up\` and \`down\` through \`main()\` with \`--fleet\`, each run
   checked with \`fleet verify\`. This is the full simulation (units, replication, shares, HTTP, DRBD, pcs) and
   the topology's timeouts and intervals scaled by the fleet. One sample each.

For comparison, \`/work/shared/reference/dependencies.md\` §2.5 measured raw ssh2 on the same kind of machine
(2 cores, OpenSSH 9.2p1, \`setNoDelay(true)\`, an empty \`.bashrc\`): connect → ready 42.3 ms, pooled exec \`true\`
2.61 ms (p90 3.43), 20 concurrent \`true\` with MaxSessions 10 17.3 ms wall (10 of them refused, no retry),
in-process fake host exec 0.59 ms, and with the real pyenv \`.bashrc\` an exec median of 104.5 ms.
`;
