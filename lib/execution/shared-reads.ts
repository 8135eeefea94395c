/**
 * One read shared by every host that polls the same thing: a hypervisor's list of VM states
 * (`virsh list --all`, `qm list`) answers all of its VMs' waits at once, so a hundred VMs going
 * off on one hypervisor cost it one command per poll, not a hundred. Each caller gets a read that
 * started after it asked (never a stale answer): a caller arriving while a read is in flight
 * shares the next one.
 */
import type { CommandResult } from '../transport/index.js';

interface Slot {
  current?: Promise<CommandResult>;
  next?: Promise<CommandResult>;
}

export class SharedReads {
  readonly #slots = new Map<string, Slot>();

  read(key: string, run: () => Promise<CommandResult>): Promise<CommandResult> {
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = {};
      this.#slots.set(key, slot);
    }
    const s = slot;
    if (!s.current) return this.#start(s, run);
    s.next ??= s.current.then(() => undefined, () => undefined).then(() => {
      delete s.next;
      return this.#start(s, run);
    });
    return s.next;
  }

  #start(s: Slot, run: () => Promise<CommandResult>): Promise<CommandResult> {
    const p: Promise<CommandResult> = run().finally(() => {
      if (s.current === p) delete s.current;
    });
    s.current = p;
    return p;
  }
}
