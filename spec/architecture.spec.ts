import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/topologies.js';

/** Every lib/ file with the modules it imports. */
function sources(): { file: string; folder: string; imports: string[]; text: string }[] {
  const lib = path.join(ROOT, 'lib');
  return (readdirSync(lib, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => {
      const text = readFileSync(path.join(lib, f), 'utf8');
      const imports = [...text.matchAll(/^(?:import|export)[^;]*? from '([^']+)'/gm)].map((m) => m[1] ?? '');
      return { file: f, folder: f.includes('/') ? f.split('/')[0] ?? '' : '', imports, text };
    });
}

const PURE = new Set(['topology', 'graph', 'plan', 'power', 'checks', 'services']);
const IO_MODULES = /^(node:)?(fs|net|child_process|os|http|https|dgram|tls)(\/.*)?$|^ssh2$/;

describe('architecture', () => {
  const files = sources();

  it('topology, graph, plan and power do no I/O and import nothing that does', () => {
    const bad = files.filter((f) => PURE.has(f.folder)).flatMap((f) =>
      f.imports.filter((m) => IO_MODULES.test(m) || /^\.\.\/(transport|execution|cli|reporters|fleet)\//.test(m)).map((m) => `${f.file} imports ${m}`));
    expect(bad).to.deep.equal([]);
  });

  it('folders use each other only through their index.ts (util/ holds single-purpose modules)', () => {
    const leaves = (f: { file: string }, m: string): string | undefined => {
      if (!m.startsWith('.')) return undefined;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f.file), m));
      const folder = target.includes('/') ? target.split('/')[0] : '';
      return folder !== f.file.split('/')[0] && folder !== 'util' && folder !== '' && !target.endsWith('/index.js') ? target : undefined;
    };
    const bad = files.flatMap((f) => f.imports.filter((m) => leaves(f, m) !== undefined).map((m) => `${f.file} imports ${m}`));
    expect(bad).to.deep.equal([]);
  });

  it('the engine never imports the simulated fleet (only the CLI starts one)', () => {
    const bad = files.filter((f) => f.folder !== 'fleet' && f.folder !== 'cli').flatMap((f) => f.imports.filter((m) => m.includes('/fleet/')).map((m) => `${f.file} imports ${m}`));
    expect(bad).to.deep.equal([]);
  });

  it('only the CLI exits the process or writes to the terminal', () => {
    const bad = files.filter((f) => f.folder !== 'cli').flatMap((f) =>
      [/process\.exit\b/, /process\.exitCode/, /console\./, /process\.std(out|err)\.write/].filter((re) => re.test(f.text)).map((re) => `${f.file}: ${re.source}`));
    expect(bad).to.deep.equal([]);
  });

  it('execution imports no values from topology, and makes no plans: it runs the plan it is given', () => {
    const execution = files.filter((f) => f.folder === 'execution');
    // Every import statement from topology must be `import type`; nothing that builds a plan may be called.
    const values = execution.flatMap((f) => [...f.text.matchAll(/^import (?!type )[^;]*? from '(\.\.\/topology\/[^']+)'/gm)].map((m) => `${f.file} imports values from ${m[1] ?? ''}`));
    const builders = /\b(buildPlan|planOutline|hostSteps|shutdownSteps|pairSteps|checkPlan|healthPlan|sideOperationPlan|checkPlanOf|moveSteps|continuityPlan|platformOf|gatesOf|splitSides|renderTemplate|hostVars)\(/;
    const planning = execution.filter((f) => builders.test(f.text)).map((f) => `${f.file} makes plans: ${builders.exec(f.text)?.[1] ?? ''}`);
    const topology = execution.filter((f) => /\bTopology\b/.test(f.text.replace(/^\s*(\*|\/\/).*$/gm, ''))).map((f) => `${f.file} names Topology`);
    expect([...values, ...planning, ...topology]).to.deep.equal([]);
  });

  it('keeps files under 300 lines', () => {
    const long = files.map((f) => ({ file: f.file, lines: f.text.split('\n').length })).filter((f) => f.lines > 300);
    expect(long).to.deep.equal([]);
  });

  it('every module that loads ssh2 loads the host-certificate shim first (transport/ssh2-certs.ts)', () => {
    // A value import of ssh2 before the shim would load ssh2 unextended: host certificates off.
    const late = files.filter((f) => f.file !== 'transport/ssh2-certs.ts').filter((f) => {
      const ssh2 = f.text.search(/^import ssh2\b|^import \{(?![^}]*\btype\b[^,}]*\})[^}]*\} from 'ssh2'|^import [^'\n]*from 'ssh2';/m);
      if (ssh2 < 0 || /^import type /m.test(f.text.slice(ssh2, ssh2 + 12))) return false;
      const shim = f.text.search(/^import '(\.\/ssh2-certs|\.\.\/transport\/index)\.js';/m);
      return shim < 0 || shim > ssh2;
    }).map((f) => f.file);
    expect(late).to.deep.equal([]);
  });
});
