import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSource } from '../../lib/cli/files.js';
import { main } from '../../lib/cli/main.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { LIMITS } from '../../lib/topology/index.js';

async function cli(args: readonly string[], cwd: string): Promise<{ code: number; err: string[]; ms: number }> {
  const err: string[] = [];
  const io = { out: (): void => undefined, err: (l: string) => err.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd };
  const t0 = performance.now();
  const code = await main(args, io, new AbortController().signal);
  return { code, err, ms: performance.now() - t0 };
}

const validate = (file: string, cwd: string): ReturnType<typeof cli> => cli(['validate', file], cwd);

describe('cli: reading topology and playbook files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-files-'));
    if (spawnSync('mkfifo', [path.join(dir, 'fifo.yaml')]).status !== 0) throw new Error('mkfifo failed');
    mkdirSync(path.join(dir, 'folder.yaml'));
    symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    writeFileSync(path.join(dir, 'big.yaml'), 'roles: {}\n');
    truncateSync(path.join(dir, 'big.yaml'), LIMITS.fileBytes + 1);
    const head = 'roles: {}\nhosts: {}\ndescription: ';
    writeFileSync(path.join(dir, 'limit.yaml'), `${head}${'x'.repeat(LIMITS.fileBytes - head.length - 1)}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses what is not a regular file without reading it: a FIFO, a device, a folder', () => {
    expect(readSource(path.join(dir, 'fifo.yaml'))).to.deep.equal({ refused: 'a FIFO (named pipe), not a regular file; not read' });
    expect(readSource('/dev/zero')).to.deep.equal({ refused: 'a character device, not a regular file; not read' });
    expect(readSource('/dev/urandom')).to.deep.equal({ refused: 'a character device, not a regular file; not read' });
    expect(readSource(path.join(dir, 'zero.yaml'))).to.deep.equal({ refused: 'a character device, not a regular file; not read' });
    expect(readSource(path.join(dir, 'folder.yaml'))).to.deep.equal({ refused: 'a directory, not a regular file; not read' });
    expect(readSource(path.join(dir, 'missing.yaml'))).to.equal(undefined);
  });

  it('refuses a file over the limit from its size, and reads one at the limit', () => {
    expect(readSource(path.join(dir, 'big.yaml'))).to.deep.equal({
      refused: 'file too large: 1,048,577 bytes, over the 1 MiB (1,048,576 bytes) a topology or playbook file may have; not read',
    });
    expect(readSource(path.join(dir, 'limit.yaml'))).to.have.length(LIMITS.fileBytes);
  });

  it('reads no more than the limit from a file that says it is smaller (/proc files say 0)', () => {
    expect(readSource('/proc/self/status')).to.match(/^Name:/);
    expect(readSource('/proc/self/status', 10)).to.deep.equal({ refused: 'file too large: more than the 10 bytes a topology or playbook file may have; not read' });
  });

  for (const [file, what] of [
    ['fifo.yaml', 'a FIFO (named pipe), not a regular file; not read'],
    ['/dev/zero', 'a character device, not a regular file; not read'],
    ['/dev/urandom', 'a character device, not a regular file; not read'],
    ['folder.yaml', 'a directory, not a regular file; not read'],
    ['big.yaml', 'file too large: 1,048,577 bytes, over the 1 MiB (1,048,576 bytes) a topology or playbook file may have; not read'],
  ] as const) {
    it(`validate ${file}: a located refusal, exit 2, at once`, async () => {
      const r = await validate(file, dir);
      expect(r.code).to.equal(2);
      expect(r.err).to.deep.equal([`${file}:1:1: ${what}`, `Error: ${file}: 1 problem found`]);
      expect(r.ms).to.be.below(1000);
    });
  }

  it('apply and --fleet: a plan or a fleet.json that is a FIFO is refused, not waited on', async () => {
    const plan = await cli(['apply', 'fifo.yaml'], dir);
    expect(plan.code).to.equal(2);
    expect(plan.err[0]).to.equal('Error: cannot read the plan fifo.yaml: a FIFO (named pipe), not a regular file; not read');
    mkdirSync(path.join(dir, 'fleet'));
    spawnSync('mkfifo', [path.join(dir, 'fleet', 'fleet.json')]);
    writeFileSync(path.join(dir, 'f.yaml'), 'roles: {}\nhosts:\n  h1: { address: 10.0.0.1 }\n');
    const fleet = await cli(['plan', 'f.yaml', '--fleet', 'fleet'], dir);
    expect(fleet.code).to.equal(2);
    expect(fleet.err[0]).to.equal(`Error: cannot read ${path.join(dir, 'fleet', 'fleet.json')}: not a regular file of at most 64 MiB`);
  });

  it('validate: a playbook that is a FIFO or a device is refused where it is', async () => {
    mkdirSync(path.join(dir, 'pb'));
    spawnSync('mkfifo', [path.join(dir, 'pb', 'app.yaml')]);
    symlinkSync('/dev/urandom', path.join(dir, 'pb', 'web.yaml'));
    writeFileSync(path.join(dir, 't.yaml'), 'playbooks: pb\nroles: { app: {}, web: {} }\nhosts:\n  h1: { address: 10.0.0.1, roles: [app, web] }\n');
    const r = await validate('t.yaml', dir);
    expect(r.code).to.equal(2);
    expect(r.err).to.deep.equal([
      'pb/app.yaml:1:1: a FIFO (named pipe), not a regular file; not read',
      'pb/web.yaml:1:1: a character device, not a regular file; not read',
      'Error: t.yaml: 2 problems found',
    ]);
  });
});
