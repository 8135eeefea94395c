/** `pcs`, `crm_mon` and `crm_resource` on the simulated cluster nodes (pcs 0.9 / pacemaker 1.1 texts). */
import { crmMonFromPcs, formatCrmMonXml, formatPcsClusterStart, formatPcsClusterStop, formatPcsError, formatPcsResourceCleanup, formatPcsStatus, pcsNotRunning } from '../formats/index.js';
import type { CommandContext, CommandHandler } from '../commands/command.js';
import { emit } from '../commands/hypervisor.js';
import type { PcsModel } from './pcs.js';
import { pcsStatusOf, type SimCluster } from './pcs-state.js';

type Handler = (ctx: CommandContext, c: SimCluster, args: readonly string[]) => number;

export function pcsCommands(model: PcsModel): Readonly<Record<string, CommandHandler>> {
  const withCluster = (h: Handler): CommandHandler => (ctx, args) => {
    const c = ctx.vm ? model.clusterOf(ctx.vm.name) : undefined;
    if (!c || !ctx.vm) return emit(ctx, { stdout: '', stderr: 'Error: unable to get cluster status, corosync is not running\n', exitCode: 1 });
    return h(ctx, c, args);
  };
  const status = (ctx: CommandContext, c: SimCluster): ReturnType<typeof pcsStatusOf> => pcsStatusOf(c, ctx.vm?.name ?? '', (n) => model.online(c, n));
  return {
    pcs: withCluster((ctx, c, args) => pcs(model, ctx, c, args)),
    crm_mon: withCluster((ctx, c, args) => {
      const s = status(ctx, c);
      if (!s.stackRunning) return emit(ctx, { stdout: '', stderr: 'crm_mon: Error: cluster is not available on this node\n', exitCode: 102 });
      const xml = args.some((a) => a === '-X' || a === '--as-xml' || a.startsWith('--output-as'));
      if (!xml) return emit(ctx, formatPcsStatus(s, { now: new Date() }));
      ctx.out(formatCrmMonXml(crmMonFromPcs(s), { layout: args.includes('--output-as=xml') ? '2' : '1.1' }));
      return 0;
    }),
    crm_resource: withCluster((ctx, c, args) => {
      const i = Math.max(args.indexOf('-r'), args.indexOf('--resource'));
      const r = c.resources.find((x) => x.id === args[i + 1]);
      if (!r) return emit(ctx, { stdout: '', stderr: `crm_resource: Resource '${args[i + 1] ?? ''}' not found\n`, exitCode: 105 });
      if (r.state !== 'Started' || !r.node) return emit(ctx, { stdout: '', stderr: `resource ${r.id} is NOT running\n`, exitCode: 0 });
      ctx.out(args.includes('-Q') || args.includes('--quiet') ? `${r.node}\n` : `resource ${r.id} is running on: ${r.node} \n`);
      return 0;
    }),
  };
}

function pcs(model: PcsModel, ctx: CommandContext, c: SimCluster, args: readonly string[]): number {
  const [group, verb, ...rest] = args.filter((a) => !a.startsWith('--wait'));
  if (group === 'status') {
    const s = pcsStatusOf(c, ctx.vm?.name ?? '', (n) => model.online(c, n));
    if (!s.stackRunning) return emit(ctx, pcsNotRunning('1.1'));
    return emit(ctx, formatPcsStatus(s, { now: new Date() }));
  }
  if (group === 'cluster' && (verb === 'start' || verb === 'stop')) return startStop(model, ctx, c, verb, rest);
  if ((group === 'node' || group === 'cluster') && (verb === 'standby' || verb === 'unstandby')) return standby(model, ctx, c, verb, rest);
  if (group === 'resource' && verb === 'cleanup') {
    if (!c.started.has(ctx.vm?.name ?? '')) return emit(ctx, formatPcsError({ kind: 'cluster-not-running' }));
    const cleaned = model.cleanup(c, rest.find((a) => !a.startsWith('-')));
    return emit(ctx, formatPcsResourceCleanup({ layout: '1.1', cleaned: cleaned.length === 0 ? 'all' : cleaned }));
  }
  ctx.err(`Error: unknown command '${args.join(' ')}'\n`);
  return 1;
}

function startStop(model: PcsModel, ctx: CommandContext, c: SimCluster, verb: 'start' | 'stop', rest: readonly string[]): number {
  const nodes = rest.includes('--all') ? [...c.nodes] : rest.filter((a) => !a.startsWith('-')).length > 0 ? rest.filter((a) => !a.startsWith('-')) : [ctx.vm?.name ?? ''];
  const unknown = nodes.find((n) => !c.nodes.includes(n));
  if (unknown !== undefined) return emit(ctx, formatPcsError({ kind: 'node-not-found', node: unknown }));
  const unreachable = nodes.filter((n) => model.world.vms.get(n)?.running !== true);
  for (const n of nodes.filter((x) => !unreachable.includes(x))) {
    const vm = model.world.vms.get(n);
    if (verb === 'start') {
      c.started.add(n);
      vm?.setUnit('corosync', 'active');
      vm?.setUnit('pacemaker', 'active');
    } else {
      c.started.delete(n);
      vm?.setUnit('pacemaker', 'inactive');
      vm?.setUnit('corosync', 'inactive');
    }
  }
  model.changed(c);
  const out = verb === 'start' ? formatPcsClusterStart(nodes, { pcs: '0.9', unreachable }) : formatPcsClusterStop(nodes, { pcs: '0.9', unreachable });
  return emit(ctx, out);
}

function standby(model: PcsModel, ctx: CommandContext, c: SimCluster, verb: 'standby' | 'unstandby', rest: readonly string[]): number {
  if (!c.started.has(ctx.vm?.name ?? '')) return emit(ctx, formatPcsError({ kind: 'cluster-not-running' }));
  const named = rest.filter((a) => !a.startsWith('-'));
  const nodes = rest.includes('--all') ? [...c.nodes] : named.length > 0 ? named : [ctx.vm?.name ?? ''];
  const unknown = nodes.find((n) => !c.nodes.includes(n));
  if (unknown !== undefined) return emit(ctx, formatPcsError({ kind: 'node-not-found', node: unknown }));
  for (const n of nodes) model.setStandby(c, n, verb === 'standby');
  model.changed(c);
  return 0;
}
