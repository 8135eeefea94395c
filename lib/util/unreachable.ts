import { InternalError } from '../errors.js';

/** Ends every switch over a union, so a new variant fails to compile until it is handled. */
export function unreachable(value: never): never {
  throw new InternalError(`unexpected value ${JSON.stringify(value)}`);
}
