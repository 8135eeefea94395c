/**
 * Proxmox VE `qm` answers: `qm status <vmid>`, `qm list` (qm.pm's printf columns, including the
 * blank padding after PID) and the error texts seen from `qm start | shutdown`. Errors exit 255,
 * as a Perl `die` in PVE's CLI handler does. domain.md §5.2 (parsing of `qm status` lives in
 * lib/power/driver.ts).
 */
import type { ToolOutput } from '../../parsers/index.js';

/** `qm status` words. */
export type QmStatus = 'running' | 'stopped';

/** A VM as `qm list` shows it. */
export interface QmVm {
  readonly vmid: number;
  readonly name: string;
  readonly status: QmStatus;
  readonly memMb: number;
  readonly bootDiskGb: number;
  /** 0 when stopped. */
  readonly pid: number;
}

/** `qm status <vmid>`. */
export function formatQmStatus(status: QmStatus): string {
  return `status: ${status}\n`;
}

/** `qm list`: `printf "%10s %-20s %-10s %-10s %12.2f %-10s\n"` per VM, sorted by VMID. */
export function formatQmList(vms: readonly QmVm[]): string {
  const row = (cells: readonly [string, string, string, string, string, string]): string =>
    `${cells[0].padStart(10)} ${cells[1].padEnd(20)} ${cells[2].padEnd(10)} ${cells[3].padEnd(10)} ${cells[4].padStart(12)} ${cells[5].padEnd(10)}\n`;
  const sorted = [...vms].sort((a, b) => a.vmid - b.vmid);
  return row(['VMID', 'NAME', 'STATUS', 'MEM(MB)', 'BOOTDISK(GB)', 'PID'])
    + sorted.map((v) => row([String(v.vmid), v.name, v.status, String(v.memMb), v.bootDiskGb.toFixed(2), String(v.pid)])).join('');
}

/** A qm failure. */
export type QmError =
  /** `qm start` on a running VM. */
  | { readonly kind: 'already-running'; readonly vmid: number }
  /** `qm shutdown` without `--forceStop` when the guest ignores ACPI. */
  | { readonly kind: 'shutdown-timeout' }
  /** `qm shutdown` with `agent: 1` but no guest agent answering. */
  | { readonly kind: 'agent-timeout' }
  /** Unknown VMID on this node. */
  | { readonly kind: 'no-such-vm'; readonly vmid: number; readonly node: string };

/** qm's error line on stderr, exit 255. */
export function formatQmError(error: QmError): ToolOutput {
  const text = error.kind === 'already-running'
    ? `VM ${error.vmid} already running`
    : error.kind === 'shutdown-timeout'
      ? 'VM quit/powerdown failed - got timeout'
      : error.kind === 'agent-timeout'
        ? "qga command 'guest-shutdown' failed - got timeout"
        : `Configuration file 'nodes/${error.node}/qemu-server/${error.vmid}.conf' does not exist`;
  return { stdout: '', stderr: `${text}\n`, exitCode: 255 };
}
