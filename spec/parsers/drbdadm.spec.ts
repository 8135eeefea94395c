import { expect } from 'chai';
import {
  drbdCounters, drbdStatusFrom84, formatDrbdadmCstate, formatDrbdadmDstate, formatDrbdadmRole, formatDrbdadmStatus,
  formatDrbdAlreadyConfigured, formatDrbdFailure, formatDrbdNotFound, formatDrbdStateChangeFailed,
} from '../../lib/fleet/formats/index.js';
import { parseDrbdadmCstate, parseDrbdadmDstate, parseDrbdadmRole, parseDrbdadmStatus, parseDrbdError } from '../../lib/parsers/index.js';
import type { DrbdMinor, DrbdStatus } from '../../lib/parsers/index.js';

// Samples from domain.md §1.3–1.5, character for character, each with its final newline.
function sample(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function one(text: string): DrbdStatus {
  const [status, ...more] = parseDrbdadmStatus(text);
  if (status === undefined || more.length > 0) throw new Error('expected one resource');
  return status;
}

const connected84: DrbdMinor = {
  kind: 'configured', minor: 0, cstate: 'Connected', role: 'Primary', peerRole: 'Secondary', disk: 'UpToDate', peerDisk: 'UpToDate',
  protocol: 'C', flags: 'r-----', counters: drbdCounters(),
};

/** [VERBATIM] crowbar PR #1238 — DRBD 9, resource coming up, peer not yet connected. */
const ST_CONNECTING = sample(
  'postgresql role:Secondary',
  '  disk:Inconsistent',
  '  d52-54-77-77-01-01 connection:Connecting',
);

/** [VERBATIM] same PR — initial sync in progress. */
const ST_SYNCING = sample(
  'postgresql role:Secondary',
  '  disk:Inconsistent',
  '  d52-54-77-77-01-01 role:Primary',
  '    replication:SyncTarget peer-disk:UpToDate done:0.08',
);

/** [VERBATIM] same PR — in sync. */
const ST_IN_SYNC = sample(
  'postgresql role:Secondary',
  '  disk:UpToDate',
  '  d52-54-77-77-01-01 role:Primary',
  '    peer-disk:UpToDate',
);

/** [VERBATIM] simplified.guide — `drbdadm status wwwdata` (volume:0 printed). */
const ST_GUIDE = sample(
  'wwwdata role:Primary',
  '  volume:0 disk:UpToDate',
  '  node-b role:Secondary',
  '    volume:0 peer-disk:UpToDate',
);

/** [VERBATIM] simplified.guide — `drbdadm cstate wwwdata:node-b`. */
const ST_GUIDE_CSTATE = sample(
  'Connected',
);

/** [VERBATIM] hwameistor issue #326 — split brain leftovers, StandAlone. */
const ST_STANDALONE = sample(
  'pvc-4d6880e8-50ef-42fe-8b8d-e8f987987992 role:Primary',
  '  disk:UpToDate',
  '  k8s-master connection:StandAlone',
);

/** [VERBATIM] linstor-server issue #218 — verbose/statistics form. */
const ST_VERBOSE = sample(
  'one-vm-9120-disk-0 node-id:1 role:Secondary suspended:no',
  '    write-ordering:flush',
  '  volume:0 minor:2796 disk:Inconsistent quorum:yes',
  '      size:41946328 read:28132 written:66812 al-writes:39 bm-writes:0 upper-pending:0 lower-pending:0 al-suspended:no blocked:no',
  '  m14c19 node-id:0 connection:Connected role:Secondary congested:no ap-in-flight:0 rs-in-flight:0',
  '    volume:0 replication:SyncTarget peer-disk:UpToDate resync-suspended:no',
  '        received:10752 sent:0 out-of-sync:0 pending:0 unacked:0',
);

/** [RECONSTRUCTED from user/v84/drbdsetup.c] drbd-utils 9 on an 8.4 kernel, connected. */
const ST_84 = sample(
  'jtelshared role:Primary',
  '  disk:UpToDate',
  '  peer role:Secondary',
  '    replication:Established peer-disk:UpToDate',
  '',
);

/** [RECONSTRUCTED, same source] peer down on 8.4. */
const ST_84_DOWN = sample(
  'jtelshared role:Primary',
  '  disk:UpToDate',
  '  peer connection:Connecting',
  '',
);

/** [RECONSTRUCTED from the error table] 8.4 `drbdadm role` on a minor that is not up. */
const ERR_127 = sample(
  '0: Failure: (127) Device minor not allocated',
  'additional info from kernel:',
  'unknown minor',
  'Command \'drbdsetup-84 role 0\' terminated with exit code 10',
);

/** [RECONSTRUCTED/FROM-SOURCE] 8.4, peer already Primary, single-primary config. */
const ERR_MULTI = sample(
  '0: State change failed: (-1) Multiple primaries not allowed by config',
  'Command \'drbdsetup-84 primary 0\' terminated with exit code 11',
);

/** [VERBATIM] drbd-reactor issue #8 — DRBD 9 journal line. */
const ERR_JOURNAL = sample(
  'drbd-linstor_db[7554]: linstor_db: State change failed: (-1) Multiple primaries not allowed by config',
);

/** [VERBATIM] rear issue #2634 — DRBD 9 promote without reachable peer. */
const ERR_REAR = sample(
  'refusing to be primary while peer is not outdated',
);

/** [RECONSTRUCTED/FROM-SOURCE] secondary while mounted (8.4). */
const ERR_HELD = sample(
  '0: State change failed: (-12) Device is held open by someone',
  'Command \'drbdsetup-84 secondary 0\' terminated with exit code 11',
);

// status_cmd() ends every resource with wrap_printf(0, "\n"): a blank line the 9.x samples cut off.
const BLANK = '\n';

describe('parsers: drbdadm status (drbd-utils 9)', () => {
  it('reads a resource coming up (peer `connection:Connecting`), and formats it back', () => {
    const s = one(ST_CONNECTING);
    expect(s).to.deep.equal({ resource: 'postgresql', role: 'Secondary', volumes: [{ disk: 'Inconsistent' }], peers: [{ name: 'd52-54-77-77-01-01', connection: 'Connecting', volumes: [] }] });
    expect(formatDrbdadmStatus(s)).to.equal(ST_CONNECTING + BLANK);
  });

  it('reads the initial sync (`replication:SyncTarget … done:0.08`), and formats it back', () => {
    const s = one(ST_SYNCING);
    expect(s.peers[0]).to.deep.equal({ name: 'd52-54-77-77-01-01', role: 'Primary', volumes: [{ replication: 'SyncTarget', peerDisk: 'UpToDate', donePercent: 0.08 }] });
    expect(formatDrbdadmStatus(s)).to.equal(ST_SYNCING + BLANK);
  });

  it('reads the in-sync state (no replication token once Established), and formats it back', () => {
    const s = one(ST_IN_SYNC);
    expect(s.volumes).to.deep.equal([{ disk: 'UpToDate' }]);
    expect(s.peers[0]?.volumes).to.deep.equal([{ peerDisk: 'UpToDate' }]);
    expect(formatDrbdadmStatus(s)).to.equal(ST_IN_SYNC + BLANK);
  });

  it('reads the simplified.guide sample with `volume:0`, formats it back, and answers `cstate res:peer`', () => {
    const s = one(ST_GUIDE);
    expect(s.volumes).to.deep.equal([{ volume: 0, disk: 'UpToDate' }]);
    expect(s.peers).to.deep.equal([{ name: 'node-b', role: 'Secondary', volumes: [{ volume: 0, peerDisk: 'UpToDate' }] }]);
    expect(formatDrbdadmStatus(s)).to.equal(ST_GUIDE + BLANK);
    expect(parseDrbdadmCstate(ST_GUIDE_CSTATE)).to.equal('Connected');
    expect(formatDrbdadmCstate(s)).to.equal(ST_GUIDE_CSTATE);
  });

  it('reads split-brain leftovers (`connection:StandAlone`), and formats them back', () => {
    const s = one(ST_STANDALONE);
    expect(s.peers).to.deep.equal([{ name: 'k8s-master', connection: 'StandAlone', volumes: [] }]);
    expect(formatDrbdadmStatus(s)).to.equal(ST_STANDALONE + BLANK);
  });

  it('reads the verbose/statistics form (parse only: the fleet prints the plain form), keeping extra tokens', () => {
    const s = one(ST_VERBOSE);
    expect(s.resource).to.equal('one-vm-9120-disk-0');
    expect(s.role).to.equal('Secondary');
    expect(s.extra).to.deep.equal({ 'node-id': '1', suspended: 'no', 'write-ordering': 'flush' });
    expect(s.volumes[0]).to.deep.include({ volume: 0, disk: 'Inconsistent' });
    expect(s.volumes[0]?.extra).to.deep.include({ minor: '2796', quorum: 'yes', size: '41946328', blocked: 'no' });
    expect(s.peers[0]).to.deep.include({ name: 'm14c19', connection: 'Connected', role: 'Secondary' });
    expect(s.peers[0]?.volumes[0]).to.deep.include({ volume: 0, replication: 'SyncTarget', peerDisk: 'UpToDate' });
    expect(s.peers[0]?.volumes[0]?.extra).to.deep.include({ 'resync-suspended': 'no', received: '10752', 'out-of-sync': '0' });
  });

  it('prints the v84-compat form from an 8.4 minor: `peer role:…` + `replication:Established` when Connected', () => {
    expect(formatDrbdadmStatus(drbdStatusFrom84('jtelshared', connected84))).to.equal(ST_84);
    expect(one(ST_84).peers).to.deep.equal([{ name: 'peer', role: 'Secondary', volumes: [{ replication: 'Established', peerDisk: 'UpToDate' }] }]);
  });

  it('prints `peer connection:Connecting` for an 8.4 minor in WFConnection', () => {
    const waiting: DrbdMinor = { ...connected84, cstate: 'WFConnection', peerRole: 'Unknown', peerDisk: 'DUnknown' };
    expect(formatDrbdadmStatus(drbdStatusFrom84('jtelshared', waiting))).to.equal(ST_84_DOWN);
    expect(one(ST_84_DOWN).peers).to.deep.equal([{ name: 'peer', connection: 'Connecting', volumes: [] }]);
  });

  it('prints and reads "no DRBD at all"', () => {
    expect(formatDrbdadmStatus([])).to.equal('# No currently configured DRBD found.\n');
    expect(parseDrbdadmStatus('# No currently configured DRBD found.\n')).to.deep.equal([]);
  });
});

describe('parsers: drbdadm role | cstate | dstate', () => {
  it('8.4 prints local/peer pairs, or Unconfigured', () => {
    expect(formatDrbdadmRole(connected84)).to.equal('Primary/Secondary\n');
    expect(parseDrbdadmRole('Primary/Secondary\n')).to.deep.equal({ role: 'Primary', peerRole: 'Secondary' });
    expect(formatDrbdadmCstate(connected84)).to.equal('Connected\n');
    expect(formatDrbdadmDstate(connected84)).to.equal('UpToDate/UpToDate\n');
    expect(parseDrbdadmDstate('UpToDate/UpToDate\n')).to.deep.equal({ disk: 'UpToDate', peerDisks: ['UpToDate'] });
    const down = { kind: 'unconfigured', minor: 0 } as const;
    expect([formatDrbdadmRole(down), formatDrbdadmCstate(down), formatDrbdadmDstate(down)]).to.deep.equal(['Unconfigured\n', 'Unconfigured\n', 'Unconfigured\n']);
    expect([parseDrbdadmRole('Unconfigured\n'), parseDrbdadmCstate('Unconfigured\n'), parseDrbdadmDstate('Unconfigured\n')]).to.deep.equal(['Unconfigured', 'Unconfigured', 'Unconfigured']);
  });

  it('9 prints the local role only, one cstate per connection, and local/peer disks', () => {
    const s = one(ST_SYNCING);
    expect(formatDrbdadmRole(s)).to.equal('Secondary\n');
    expect(parseDrbdadmRole('Secondary\n')).to.deep.equal({ role: 'Secondary' });
    expect(formatDrbdadmCstate(one(ST_CONNECTING))).to.equal('Connecting\n');
    expect(formatDrbdadmDstate(s)).to.equal('Inconsistent/UpToDate\n');
  });
});

describe('parsers: drbdadm errors', () => {
  it('8.4 role on a minor that is not up: Failure (127) with kernel info, exit 10', () => {
    const out = formatDrbdFailure('0', 127, { info: ['unknown minor'], command: 'drbdsetup-84 role 0' });
    expect(out).to.deep.equal({ stdout: '', stderr: ERR_127, exitCode: 10 });
    expect(parseDrbdError(ERR_127)).to.deep.equal({
      kind: 'failure', objname: '0', code: 127, text: 'Device minor not allocated', info: ['unknown minor'], command: 'drbdsetup-84 role 0', exitCode: 10,
    });
  });

  it('state changes refused: (-1) and (-12) exit 11, (-2) exits 17, (-16) exits 5 without the Command line', () => {
    expect(formatDrbdStateChangeFailed('0', -1, { command: 'drbdsetup-84 primary 0' })).to.deep.equal({ stdout: '', stderr: ERR_MULTI, exitCode: 11 });
    expect(formatDrbdStateChangeFailed('0', -12, { command: 'drbdsetup-84 secondary 0' })).to.deep.equal({ stdout: '', stderr: ERR_HELD, exitCode: 11 });
    expect(formatDrbdStateChangeFailed('0', -2, { command: 'drbdsetup-84 primary 0' })).to.deep.equal({
      stdout: '', stderr: "0: State change failed: (-2) Need access to UpToDate data\nCommand 'drbdsetup-84 primary 0' terminated with exit code 17\n", exitCode: 17,
    });
    expect(formatDrbdStateChangeFailed('0', -16, { command: 'drbdsetup-84 primary 0' }).stderr).to.equal('0: State change failed: (-16) Disk state is lower than outdated\n');
    expect(parseDrbdError(ERR_HELD)).to.deep.include({ kind: 'state-change-failed', objname: '0', code: -12, text: 'Device is held open by someone', exitCode: 11 });
  });

  it('reads the DRBD 9 journal line and the bare rear message', () => {
    expect(parseDrbdError(ERR_JOURNAL)).to.deep.equal({ kind: 'state-change-failed', objname: 'linstor_db', code: -1, text: 'Multiple primaries not allowed by config' });
    expect(parseDrbdError(ERR_REAR)).to.deep.equal({ kind: 'state-change-failed', objname: '', code: -7, text: 'Refusing to be Primary while peer is not outdated' });
  });

  it('prints the two-line (164) text, resources that are down, and `up` on an up minor', () => {
    const two = formatDrbdFailure('jtelshared', 164);
    expect(two.stderr).to.equal('jtelshared: Failure: (164) Can not clear allow_two_primaries as long as\nthere a primaries on both sides\n');
    expect(parseDrbdError(two.stderr)).to.deep.include({ code: 164, text: 'Can not clear allow_two_primaries as long as\nthere a primaries on both sides' });
    const missing = formatDrbdNotFound('jtelshared', 'status', { command: 'drbdsetup status jtelshared' });
    expect(missing).to.deep.equal({ stdout: '', stderr: "jtelshared: No such resource\nCommand 'drbdsetup status jtelshared' terminated with exit code 10\n", exitCode: 10 });
    expect(parseDrbdError(missing.stderr)).to.deep.include({ kind: 'not-found', objname: 'jtelshared', text: 'No such resource', exitCode: 10 });
    expect(formatDrbdNotFound('jtelshared', 'role').stderr).to.equal('jtelshared: Unknown resource\n');
    expect(formatDrbdAlreadyConfigured(0)).to.deep.equal({ stdout: '', stderr: "Device '0' is configured!\n", exitCode: 20 });
    expect(parseDrbdError("Device '0' is configured!\n")).to.deep.include({ kind: 'already-configured', objname: '0' });
  });
});
