/**
 * External programs some report specs use (xmllint, Graphviz's dot, Chromium). Without one, a spec
 * skips that part, unless ORCHESTRATE_REQUIRE_CHROMIUM=1 (set by .ci/run, which installs them):
 * then a missing program fails the spec.
 */
import { spawnSync } from 'node:child_process';

export const toolsRequired = process.env.ORCHESTRATE_REQUIRE_CHROMIUM === '1';

/** The path of `name` on PATH, or undefined. */
export function which(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found !== '' ? found : undefined;
}

/** The program, or: a failure when tools are required, else a skip of the test. */
export function needTool(ctx: Mocha.Context, name: string, pkg: string): string {
  const found = which(name);
  if (found !== undefined) return found;
  if (toolsRequired) throw new Error(`${name} is not installed (Debian package ${pkg}); ORCHESTRATE_REQUIRE_CHROMIUM=1 requires it`);
  ctx.skip();
}
