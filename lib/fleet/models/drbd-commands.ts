/**
 * `drbdadm up|down|primary|secondary|role|cstate|dstate|status|connect|disconnect RES` on a
 * simulated DRBD node (drbd-utils 9 driving an 8.4 kernel), with the real texts and exit codes
 * (domain.md §1). The resource is looked up among the pairs the VM is a node of; the rules of
 * what DRBD then does are in drbd.ts and drbd-state.ts.
 */
import { drbdStatusFrom84, formatDrbdadmCstate, formatDrbdadmDstate, formatDrbdadmRole, formatDrbdadmStatus, formatDrbdAlreadyConfigured, formatDrbdFailure, formatDrbdStateChangeFailed } from '../formats/index.js';
import type { CommandContext, CommandHandler } from '../commands/command.js';
import { emit } from '../commands/hypervisor.js';
import type { SimVm } from '../vm.js';
import type { DrbdModel } from './drbd.js';
import { connected, nodeOf, peerOf, type DrbdNodeState, type DrbdPairState } from './drbd-state.js';

/** One `drbdadm VERB RES` call, its resource found on the VM. */
interface Call {
  readonly model: DrbdModel;
  readonly ctx: CommandContext;
  readonly vm: SimVm;
  readonly pair: DrbdPairState;
  readonly me: DrbdNodeState;
  readonly verb: string;
  readonly args: readonly string[];
}

export function drbdadmCommand(model: DrbdModel): CommandHandler {
  return (ctx, args) => {
    const [verb = '', resource = ''] = args.filter((a) => !a.startsWith('-'));
    const vm = ctx.vm;
    const pair = vm ? model.pairOf(vm.name, resource.split(':')[0]) : undefined;
    const me = pair && vm ? nodeOf(pair, vm.name) : undefined;
    if (!vm || !pair || !me) {
      ctx.err(`'${resource}' not defined in your config (for this host).\n`);
      return 10;
    }
    const run = VERBS[verb];
    if (!run) {
      ctx.err(`drbdadm: Unknown command '${verb}'\n`);
      return 20;
    }
    return run({ model, ctx, vm, pair, me, verb, args });
  };
}

const notUp = ({ ctx, pair, verb }: Call): number => {
  const minor = String(pair.minor);
  return emit(ctx, formatDrbdFailure(minor, 127, { info: ['unknown minor'], command: `drbdsetup-84 ${verb} ${minor}` }));
};

const VERBS: Readonly<Record<string, (c: Call) => number>> = {
  up: ({ model, ctx, pair, me }) => {
    if (me.up) return emit(ctx, formatDrbdAlreadyConfigured(pair.minor, { command: `drbdmeta ${pair.minor} v08 /dev/vg0/${pair.resource} internal apply-al` }));
    me.up = true;
    model.settle();
    return 0;
  },
  down: ({ model, ctx, vm, pair, me }) => {
    if (me.up && me.role === 'Primary' && model.heldOpen(vm, pair)) return emit(ctx, formatDrbdStateChangeFailed(pair.resource, -12, { command: `drbdsetup-84 down ${pair.resource}` }));
    Object.assign(me, { up: false, role: 'Secondary' });
    model.settle();
    return 0;
  },
  primary: (c) => promote(c),
  secondary: (c) => {
    const { model, ctx, vm, pair, me } = c;
    if (!me.up) return notUp(c);
    const minor = String(pair.minor);
    if (model.heldOpen(vm, pair)) return emit(ctx, formatDrbdStateChangeFailed(minor, -12, { command: `drbdsetup-84 secondary ${minor}` }));
    me.role = 'Secondary';
    model.settle();
    return 0;
  },
  role: (c) => query(c),
  cstate: (c) => query(c),
  dstate: (c) => query(c),
  status: ({ model, ctx, pair, me }) => {
    if (!me.up) return emit(ctx, { stdout: '', stderr: `${pair.resource}: No such resource\nCommand 'drbdsetup status ${pair.resource}' terminated with exit code 10\n`, exitCode: 10 });
    ctx.out(formatDrbdadmStatus(drbdStatusFrom84(pair.resource, model.device(pair, me.vm))));
    return 0;
  },
  disconnect: ({ model, me }) => {
    me.standAlone = true;
    model.settle();
    return 0;
  },
  connect: ({ model, me, args }) => {
    me.standAlone = false;
    if (args.includes('--discard-my-data')) Object.assign(me, { wroteAlone: false, disk: 'Outdated', role: 'Secondary' });
    model.settle();
    return 0;
  },
};

function query(c: Call): number {
  const d = c.model.device(c.pair, c.me.vm);
  if (d.kind !== 'configured') return notUp(c);
  c.ctx.out(c.verb === 'role' ? formatDrbdadmRole(d) : c.verb === 'cstate' ? formatDrbdadmCstate(d) : formatDrbdadmDstate(d));
  return 0;
}

/** Refused while not up, without UpToDate data, or (single-primary) while the connected peer is Primary. */
function promote(c: Call): number {
  const { model, ctx, pair, me } = c;
  const minor = String(pair.minor);
  const command = { command: `drbdsetup-84 primary ${minor}` };
  if (!me.up) return notUp(c);
  if (me.disk !== 'UpToDate') return emit(ctx, formatDrbdStateChangeFailed(minor, -2, command));
  const peer = peerOf(pair, me.vm);
  if (!pair.dualPrimary && connected(pair, model.running) && peer.role === 'Primary') return emit(ctx, formatDrbdStateChangeFailed(minor, -1, command));
  me.role = 'Primary';
  model.settle();
  return 0;
}
