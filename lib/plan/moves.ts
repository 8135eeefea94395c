/**
 * The steps that move a pair's service off the node that leaves in a failover, and let the node
 * that returns in a failback take part again. All run on the staying node except `drbdadm
 * secondary` (on the leaving one). Pure: the same list is printed by `plan` and run.
 *
 *   move:   pcs standby LEAVING → (single-primary, when LEAVING is the DRBD Primary: resources
 *           stopped there, drbdadm secondary on LEAVING, drbdadm primary on STAYING, pcs resource
 *           cleanup) → every resource started on STAYING
 *   rejoin: pcs unstandby RETURNING → pcs resource cleanup → both nodes online, nothing failed,
 *           every resource started
 */
import { drbdadm, drbdRead } from '../procedures/index.js';
import type { Pair, Timeouts } from '../topology/index.js';
import { shellJoin } from '../util/shell.js';
import type { MoveStep, SideOperation } from './model.js';

function standbyCommand(pair: Pair, verb: 'standby' | 'unstandby', node: string): string {
  return shellJoin(['pcs', pair.pacemaker?.version === '2' ? 'node' : 'cluster', verb, node]);
}

export function moveSteps(op: SideOperation, pair: Pair, moving: string, staying: string, timing: Pick<Timeouts, 'pollMs' | 'stepMs'>): MoveStep[] {
  const p = pair.pacemaker;
  if (!p) return [];
  const id = (s: string): string => `${pair.name}/${s}`;
  const run = (step: string, name: string, command: string, host: string, when?: 'leaving-primary'): MoveStep =>
    ({ id: id(step), name, kind: 'run', on: 'primary', command, timeoutMs: timing.stepMs, host, ...(when ? { when } : {}) });
  const wait = (step: string, name: string, judge: 'stopped-on' | 'running-on' | 'whole', when?: 'leaving-primary'): MoveStep => ({
    id: id(step), name, kind: 'pcs-wait', on: 'primary', read: 'pcs status', resources: p.resources, nodes: 'both', pollMs: timing.pollMs,
    timeoutMs: p.timeoutMs, host: staying, judge, ...(when ? { when } : {}),
  });
  if (op === 'failback') {
    return [
      run(`unstandby ${moving}`, `unstandby ${moving}`, standbyCommand(pair, 'unstandby', moving), staying),
      run('pcs resource cleanup', 'pcs resource cleanup', 'pcs resource cleanup', staying),
      wait('whole', 'both nodes online, nothing failed, every resource started', 'whole'),
    ];
  }
  const d = pair.drbd;
  const swap: MoveStep[] = d?.mode === 'single-primary'
    ? [
        wait(`stopped on ${moving}`, `resources stopped on ${moving}`, 'stopped-on', 'leaving-primary'),
        run(`drbd secondary ${moving}`, 'drbd secondary', drbdadm('secondary', d.resource), moving, 'leaving-primary'),
        { id: id(`drbd primary ${staying}`), name: 'drbd primary', kind: 'promote', on: 'primary', command: drbdadm('primary', d.resource), read: drbdRead(d), timeoutMs: timing.stepMs, host: staying, when: 'leaving-primary' },
        run('pcs resource cleanup', 'pcs resource cleanup', 'pcs resource cleanup', staying, 'leaving-primary'),
      ]
    : [];
  return [
    run(`standby ${moving}`, `standby ${moving}`, standbyCommand(pair, 'standby', moving), staying),
    ...swap,
    wait(`running on ${staying}`, `every resource started on ${staying}`, 'running-on'),
  ];
}
