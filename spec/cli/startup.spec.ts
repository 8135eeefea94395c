import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../support/topologies.js';

/**
 * What a command loads, from a real process: a module loader hook prints every file it loads.
 * Start-up time is mostly loading modules (docs/benchmarks.md), so `--help`, `validate` and `plan`
 * must not load the executor, SSH or the simulated fleet, nor yaml for files the plain reader takes.
 */
describe('the command line loads what a command needs', () => {
  let dir: string;
  let register: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-startup-'));
    writeFileSync(path.join(dir, 'hook.mjs'), "export async function load(url, context, next) { if (url.startsWith('file:')) process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n");
    register = path.join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hook.mjs')).href)});\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The files of `lib/` and the packages a run of the CLI loads. */
  function loaded(args: readonly string[]): { code: number | null; files: string[] } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', register, path.join(ROOT, 'lib/cli/bin.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const files = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => {
      const file = decodeURIComponent(new URL(l.slice('LOADED '.length)).pathname);
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      return pkg ? `package ${pkg[1] ?? ''}` : path.relative(ROOT, file);
    });
    return { code: r.status, files: [...new Set(files)] };
  }

  const heavy = (files: readonly string[]): string[] => files.filter((f) => /^lib\/(fleet|execution|transport)\/|^package (ssh2|yaml|p-limit)$/.test(f));

  it('--help: commander and the command tree, not even the topology loader', () => {
    const r = loaded(['--help']);
    expect(r.code).to.equal(0);
    expect(heavy(r.files)).to.deep.equal([]);
    expect(r.files.filter((f) => f.startsWith('lib/topology/') || f === 'package zod')).to.deep.equal([]);
  });

  it('validate and plan --json of small.yaml: the pure core, without the executor, SSH, the fleet or yaml', () => {
    for (const args of [['validate', 'topologies/small.yaml'], ['plan', 'topologies/small.yaml', '--json']]) {
      const r = loaded(args);
      expect(r.code, args.join(' ')).to.equal(0);
      expect(r.files, args.join(' ')).to.include('lib/topology/plain-yaml.ts');
      expect(heavy(r.files), args.join(' ')).to.deep.equal([]);
    }
  });
});
