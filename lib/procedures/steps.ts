/**
 * The four procedures of domain.md §6.5/§6.8 and the runbook, for one pair:
 *
 *   both-up:   drbdadm up (primary, then secondary) → both Secondary, UpToDate, no sync →
 *              drbdadm primary (primary, then secondary if dual) → roles checked →
 *              pcs cluster start --all, pcs resource cleanup (on the primary) → resources started
 *   one-up:    on the returning node: drbdadm up → resync finished (UpToDate/UpToDate) →
 *              drbdadm primary (dual only) → pcs cluster start → node online
 *   both-down: find the active node (the primary) → pcs cluster stop --all →
 *              secondary: drbdadm down, shut down → primary: drbdadm down, shut down
 *   one-down:  find the active node (the one that stays: the primary) →
 *              on the other (the secondary): drbdadm down → shut it down
 *
 * Pure.
 */
import type { Pair, PairDrbd } from '../topology/index.js';
import { shellJoin } from '../util/shell.js';
import type { PairProcedure, PairStep } from './model.js';

export interface ProcedureOptions {
  /** Poll interval of the waits (the hosts' poll). */
  readonly pollMs: number;
  /** Timeout of one command (the hosts' step timeout). */
  readonly stepMs: number;
}

/** How a node's DRBD state is read: /proc/drbd (8.4), or drbdadm status RESOURCE (9). */
export function drbdRead(drbd: Pick<PairDrbd, 'version' | 'resource'> | undefined): string {
  return drbd?.version === '9' ? shellJoin(['drbdadm', 'status', drbd.resource]) : 'cat /proc/drbd';
}

/** `drbdadm VERB RESOURCE`, the resource quoted (the loader allows only DRBD resource names). */
export function drbdadm(verb: 'up' | 'down' | 'primary' | 'secondary', resource: string): string {
  return shellJoin(['drbdadm', verb, resource]);
}

function readDrbd(pair: Pair): string {
  return drbdRead(pair.drbd);
}

function readPcs(pair: Pair): string {
  return 'pcs status';
}

export function pairSteps(pair: Pair, procedure: PairProcedure, o: ProcedureOptions): PairStep[] {
  switch (procedure) {
    case 'both-up':
      return bothUp(pair, o);
    case 'one-up':
      return oneUp(pair, o);
    case 'both-down':
      return bothDown(pair, o);
    case 'one-down':
      return oneDown(pair, o);
  }
}

function bothUp(pair: Pair, o: ProcedureOptions): PairStep[] {
  const steps: PairStep[] = [];
  const d = pair.drbd;
  const p = pair.pacemaker;
  const id = (s: string): string => `${pair.name}/${s}`;
  if (d) {
    const wait = { kind: 'drbd-wait', read: readDrbd(pair), pollMs: o.pollMs, timeoutMs: d.timeoutMs } as const;
    const dual = d.mode === 'dual-primary';
    steps.push(
      { id: id('drbd up primary'), name: 'drbd up', kind: 'run', on: 'primary', command: drbdadm('up', d.resource), timeoutMs: o.stepMs, unless: 'drbd-up' as const },
      { id: id('drbd up secondary'), name: 'drbd up', kind: 'run', on: 'secondary', command: drbdadm('up', d.resource), timeoutMs: o.stepMs, unless: 'drbd-up' as const },
      { ...wait, id: id('drbd connected'), name: 'both Secondary, UpToDate, no sync', on: 'primary', expect: { connected: true, roles: dual ? 'Secondary/Secondary|Primary/Secondary|Primary/Primary' : 'Secondary/Secondary|Primary/Secondary', disks: 'UpToDate/UpToDate' } },
      { id: id('drbd primary primary'), name: 'drbd primary', kind: 'promote', on: 'primary', command: drbdadm('primary', d.resource), read: readDrbd(pair), timeoutMs: o.stepMs },
      ...(dual ? [{ id: id('drbd primary secondary'), name: 'drbd primary', kind: 'promote' as const, on: 'secondary' as const, command: drbdadm('primary', d.resource), read: readDrbd(pair), timeoutMs: o.stepMs }] : []),
      { ...wait, id: id('drbd promoted'), name: dual ? 'both Primary, UpToDate/UpToDate' : 'Primary/Secondary, UpToDate/UpToDate', on: 'primary', expect: { connected: true, roles: dual ? 'Primary/Primary' : 'Primary/Secondary', disks: 'UpToDate/UpToDate' } },
    );
  }
  if (p) {
    steps.push(
      { id: id('pcs cluster start'), name: 'pcs cluster start --all', kind: 'run', on: 'primary', command: 'pcs cluster start --all', timeoutMs: o.stepMs },
      { id: id('pcs resource cleanup'), name: 'pcs resource cleanup', kind: 'run', on: 'primary', command: 'pcs resource cleanup', timeoutMs: o.stepMs },
      { id: id('pcs started'), name: 'every resource started', kind: 'pcs-wait', on: 'primary', read: readPcs(pair), resources: p.resources, nodes: 'both', pollMs: o.pollMs, timeoutMs: p.timeoutMs },
    );
  }
  return steps;
}

function oneUp(pair: Pair, o: ProcedureOptions): PairStep[] {
  const steps: PairStep[] = [];
  const d = pair.drbd;
  const id = (s: string): string => `${pair.name}/${s}`;
  if (d) {
    const dual = d.mode === 'dual-primary';
    steps.push(
      { id: id('drbd up'), name: 'drbd up', kind: 'run', on: 'secondary', command: drbdadm('up', d.resource), timeoutMs: o.stepMs, unless: 'drbd-up' as const },
      { id: id('drbd resynced'), name: 'resync finished, UpToDate/UpToDate', kind: 'drbd-wait', on: 'secondary', read: readDrbd(pair), pollMs: o.pollMs, timeoutMs: d.timeoutMs, expect: { connected: true, roles: 'Secondary/Primary', disks: 'UpToDate/UpToDate' } },
      ...(dual ? [
        { id: id('drbd primary'), name: 'drbd primary', kind: 'promote' as const, on: 'secondary' as const, command: drbdadm('primary', d.resource), read: readDrbd(pair), timeoutMs: o.stepMs },
        { id: id('drbd promoted'), name: 'both Primary, UpToDate/UpToDate', kind: 'drbd-wait' as const, on: 'secondary' as const, read: readDrbd(pair), pollMs: o.pollMs, timeoutMs: d.timeoutMs, expect: { connected: true, roles: 'Primary/Primary', disks: 'UpToDate/UpToDate' } },
      ] : []),
    );
  }
  if (pair.pacemaker) {
    steps.push(
      { id: id('pcs cluster start'), name: 'pcs cluster start', kind: 'run', on: 'secondary', command: 'pcs cluster start', timeoutMs: o.stepMs },
      { id: id('pcs online'), name: 'node online in the cluster', kind: 'pcs-wait', on: 'secondary', read: readPcs(pair), resources: [], nodes: 'self', pollMs: o.pollMs, timeoutMs: pair.pacemaker.timeoutMs },
    );
  }
  return steps;
}

function bothDown(pair: Pair, o: ProcedureOptions): PairStep[] {
  const d = pair.drbd;
  const id = (s: string): string => `${pair.name}/${s}`;
  return [
    { id: id('find primary'), name: 'find the active node', kind: 'find-primary', on: 'primary', read: pair.pacemaker ? readPcs(pair) : readDrbd(pair), timeoutMs: o.stepMs },
    ...(pair.pacemaker ? [{ id: id('pcs cluster stop'), name: 'pcs cluster stop --all', kind: 'run' as const, on: 'primary' as const, command: 'pcs cluster stop --all', alone: 'pcs cluster stop', timeoutMs: o.stepMs }] : []),
    ...(d ? [{ id: id('drbd down secondary'), name: 'drbd down', kind: 'run' as const, on: 'secondary' as const, command: drbdadm('down', d.resource), timeoutMs: o.stepMs, unless: 'drbd-down' as const }] : []),
    { id: id('shutdown secondary'), name: 'shut down', kind: 'shutdown', on: 'secondary', timeoutMs: o.stepMs },
    ...(d ? [{ id: id('drbd down primary'), name: 'drbd down', kind: 'run' as const, on: 'primary' as const, command: drbdadm('down', d.resource), timeoutMs: o.stepMs, unless: 'drbd-down' as const }] : []),
    { id: id('shutdown primary'), name: 'shut down', kind: 'shutdown', on: 'primary', timeoutMs: o.stepMs },
  ];
}

function oneDown(pair: Pair, o: ProcedureOptions): PairStep[] {
  const d = pair.drbd;
  const id = (s: string): string => `${pair.name}/${s}`;
  return [
    { id: id('find primary'), name: 'find the active node', kind: 'find-primary', on: 'primary', read: pair.pacemaker ? readPcs(pair) : readDrbd(pair), timeoutMs: o.stepMs },
    ...(d ? [{ id: id('drbd down'), name: 'drbd down', kind: 'run' as const, on: 'secondary' as const, command: drbdadm('down', d.resource), timeoutMs: o.stepMs, unless: 'drbd-down' as const }] : []),
    { id: id('shutdown'), name: 'shut down', kind: 'shutdown', on: 'secondary', timeoutMs: o.stepMs },
  ];
}
