/**
 * `smbclient -N -L //HOST` on every simulated VM: the share list of the Samba server that HOST
 * leads to (a VM's name or address, or a virtual IP, which leads to the node holding it), as
 * smbclient 4.x prints it, or its `do_connect` error (exit 1). Samba runs where a unit of the
 * storage role is active: started by systemd, or by Pacemaker as the storage pair's samba
 * resource. Only the listing is simulated: not connecting to a share, nor `-g`.
 */
import type { CommandContext, CommandHandler } from '../commands/command.js';
import type { World } from '../world.js';
import type { Model } from './model.js';
import { resolveName, type VipLookup } from './web.js';

export const SAMBA_VERSION = '4.10.16';

export interface SmbShare {
  readonly name: string;
  readonly type: 'Disk' | 'IPC';
  readonly comment: string;
}

/** What the simulated storage exports. */
export const SMB_SHARES: readonly SmbShare[] = [
  { name: 'shared', type: 'Disk', comment: 'jtel shared storage' },
  { name: 'IPC$', type: 'IPC', comment: `IPC Service (Samba ${SAMBA_VERSION})` },
];

/** The listing of `smbclient -N -L` (source3/client/client.c `browse_fn`: `\t%-15s %-10.10s%s`), SMB1 off. */
export function formatShareList(shares: readonly SmbShare[]): string {
  const row = (name: string, type: string, comment: string): string => `\t${name.padEnd(15)} ${type.padEnd(10).slice(0, 10)}${comment}\n`;
  return [
    'Anonymous login successful\n', '\n',
    row('Sharename', 'Type', 'Comment'), row('---------', '----', '-------'),
    ...shares.map((s) => row(s.name, s.type, s.comment)),
    'SMB1 disabled -- no workgroup available\n',
  ].join('');
}

/** Options of smbclient that take a value. */
const WITH_VALUE = new Set(['-U', '--user', '-m', '--max-protocol', '-W', '--workgroup', '-p', '--port', '-I', '--ip-address', '-A', '--authentication-file', '-s', '--configfile', '-c', '--command', '-n', '--netbiosname']);

/** The server named by `-L //HOST`, `-L \\HOST`, `-L HOST` or `--list=HOST`. */
export function listTarget(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = arg === '-L' || arg === '--list' ? args[i + 1] : arg.startsWith('--list=') ? arg.slice('--list='.length) : undefined;
    if (value !== undefined) return value.replace(/^[\\/]+/, '').split(/[\\/]/)[0];
    if (WITH_VALUE.has(arg)) i++;
  }
  return undefined;
}

export class SmbModel implements Model {
  #world!: World;
  readonly #vips: VipLookup | undefined;
  readonly commands: Readonly<Record<string, CommandHandler>> = { smbclient: (ctx, args) => this.#smbclient(ctx, args) };

  constructor(vips?: VipLookup) {
    this.#vips = vips;
  }

  attach(world: World): void {
    this.#world = world;
  }

  #smbclient(ctx: CommandContext, args: readonly string[]): number {
    const name = listTarget(args);
    if (name === undefined || name === '') {
      ctx.err('smbclient: only the share list (smbclient -N -L //HOST) is simulated\n');
      return 1;
    }
    const to = resolveName(this.#world, this.#vips, name, ctx.vm);
    const status = to === undefined ? 'NT_STATUS_UNSUCCESSFUL'
      : to === 'unreachable' || !to.running ? 'NT_STATUS_HOST_UNREACHABLE'
        : !this.#world.roleActive(to, 'storage') ? 'NT_STATUS_CONNECTION_REFUSED' : undefined;
    if (status !== undefined) {
      ctx.err(`do_connect: Connection to ${name} failed (Error ${status})\n`);
      return 1;
    }
    ctx.out(formatShareList(SMB_SHARES));
    return 0;
  }
}
