/** What a simulated shell command gets and gives back. */
import type { SimVm } from '../vm.js';
import type { SimHypervisor, World } from '../world.js';

export interface CommandContext {
  readonly world: World;
  /** The VM the command runs on (absent on a hypervisor). */
  readonly vm?: SimVm;
  /** The hypervisor the command runs on (absent on a VM). */
  readonly hypervisor?: SimHypervisor;
  /** Aborts when the command is killed or the session goes away. */
  readonly signal: AbortSignal;
  /** Standard input (the output of the previous command in a pipeline). */
  readonly stdin: string;
  out(text: string): void;
  err(text: string): void;
}

/** An exit code, or the session cut under the command (`drop`), or death by a signal. */
export type CommandOutcome = number | { readonly drop: true } | { readonly signal: string };

export type CommandHandler = (ctx: CommandContext, args: readonly string[]) => CommandOutcome | Promise<CommandOutcome>;
