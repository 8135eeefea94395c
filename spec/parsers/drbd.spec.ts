import { expect } from 'chai';
import { drbdStatusFrom84, formatDrbdadmStatus, formatDrbdDevice, formatProcDrbd } from '../../lib/fleet/formats/index.js';
import { parseDrbdadmStatus, parseDrbdDevices, parseProcDrbd } from '../../lib/parsers/index.js';
import type { DrbdMinor, ProcDrbd } from '../../lib/parsers/index.js';

// Samples from domain.md §1.1–1.2, character for character. Each ends with the newline the
// program printed after its last line.
function sample(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function proc(text: string): ProcDrbd {
  const p = parseProcDrbd(text);
  if (p === undefined) throw new Error('no /proc/drbd');
  return p;
}

function minor(text: string, index = 0): DrbdMinor {
  const d = parseDrbdDevices(text)[index];
  if (d?.kind !== 'configured') throw new Error('no configured minor');
  return d;
}

const idle = { ns: 0, nr: 0, dw: 0, dr: 0, al: 0, bm: 0, lo: 0, pe: 0, ua: 0, ap: 0, ep: 1, wo: 'f' };

/** [VERBATIM] Clusters from Scratch 1.1 — after `drbdadm up` on one node only. */
const PROC_UP_ONE = sample(
  'version: 8.4.6 (api:1/proto:86-101)',
  'GIT-hash: 833d830e0152d1e457fa7856e71e11248ccf3f70 build by phil@Build64R7, 2015-04-10 05:13:52',
  '',
  ' 1: cs:WFConnection ro:Secondary/Unknown ds:Inconsistent/DUnknown C r----s',
  '    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:1048508',
);

/** [VERBATIM] same doc — both nodes up, before initial sync (device lines only). */
const PROC_BOTH_UP = sample(
  ' 1: cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent C r-----',
  '    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:1048508',
);

/** [VERBATIM] same doc — right after `drbdadm primary --force` (K units; real TABs). */
const PROC_SYNC_K = sample(
  ' 1: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----',
  '    ns:2872 nr:0 dw:0 dr:3784 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:1045636',
  '\t[>....................] sync\'ed:  0.4% (1045636/1048508)K',
  '\tfinish: 0:10:53 speed: 1,436 (1,436) K/sec',
);

/** [VERBATIM] same doc — healthy single-primary steady state. */
const PROC_HEALTHY = sample(
  ' 1: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----',
  '    ns:1048508 nr:0 dw:0 dr:1049420 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0',
);

/** [VERBATIM] cockpit issue #17042 — 8.4.11, M units, `want:`; the issue rendered the TABs as 8 spaces. */
const PROC_COCKPIT = sample(
  'version: 8.4.11 (api:1/proto:86-101)',
  'srcversion: C83CE761848B9DE61379370',
  '',
  ' 1: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----',
  '    ns:696684000 nr:0 dw:2729072 dr:696641533 al:500 bm:0 lo:15 pe:1 ua:15 ap:0 ep:1 wo:f oos:3209234560',
  '        [==>.................] sync\'ed: 17.9% (3134016/3815352)M',
  '        finish: 10:43:36 speed: 83,088 (100,400) K/sec',
  ' 2: cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate C r-----',
  '    ns:0 nr:563686400 dw:563682304 dr:0 al:8 bm:0 lo:5 pe:21 ua:4 ap:0 ep:1 wo:f oos:1389772624',
  '        [====>...............] sync\'ed: 28.9% (1357196/1907668)M',
  '        finish: 3:50:39 speed: 100,404 (103,180) want: 113,600 K/sec',
);

/** [VERBATIM] nevis twiki — 8.4.1 dual-primary (minor 0: no blank line). */
const PROC_DUAL = sample(
  'version: 8.4.1 (api:1/proto:86-100)',
  'GIT-hash: 91b4c048c1a0e06777b5f65d312b38d47abaea80 build by, 2012-02-14 17:04:51',
  ' 0: cs:Connected ro:Primary/Primary ds:UpToDate/UpToDate C r-----',
  '    ns:162560777 nr:78408289 dw:240969067 dr:747326438 al:10050 bm:1583 lo:0 pe:0 ua:0 ap:0 ep:1 wo:b oos:0',
);

/** [VERBATIM] pastebin z9LbAEkd — both nodes after split brain; pastebin collapsed the StandAlone blanks. */
const PROC_SPLIT_PASTEBIN = sample(
  ' 1: cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown C r-----',
  '    ns:0 nr:0 dw:0 dr:912 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:20',
  ' 1: cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown r-----',
  '    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:48',
);

/** [VERBATIM] k8s-snap — drbd-utils 9 `drbdadm status` on an 8.4 kernel after split brain: no peer line. */
const K8S_STATUS = sample(
  'r0 role:Primary',
  '  disk:UpToDate',
  '',
);

/** [VERBATIM] k8s-snap — /proc/drbd of the same node (three blanks before r-----). */
const K8S_PROC = sample(
  'version: 8.4.11 (api:1/proto:86-101)',
  'srcversion: C7B8F7076B8D6DB066D84D9',
  ' 0: cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown   r-----',
  '    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:1802140',
);

/** [VERBATIM] pastebin EnK64YSw — DRBD 9.0.6: version lines only. */
const PROC_DRBD9 = sample(
  'version: 9.0.6-1 (api:2/proto:86-112)',
  'GIT-hash: 08cda190c4f544a0c4e15ba792bbf47c69707b42 build by buildsystem@linbit, 2016-12-23 13:29:04',
  'Transports (api:15): tcp (1.0.0)',
);

describe('parsers: /proc/drbd (DRBD 8.4 and 9)', () => {
  it('reads the 8.4.6 sample after `drbdadm up` on one node, and formats it back exactly', () => {
    const p = proc(PROC_UP_ONE);
    expect(p).to.deep.include({ version: '8.4.6', api: 1, protoMin: 86, protoMax: 101 });
    expect(p.buildTag).to.equal('GIT-hash: 833d830e0152d1e457fa7856e71e11248ccf3f70 build by phil@Build64R7, 2015-04-10 05:13:52');
    expect(p.devices).to.deep.equal([{
      kind: 'configured', minor: 1, cstate: 'WFConnection', role: 'Secondary', peerRole: 'Unknown', disk: 'Inconsistent',
      peerDisk: 'DUnknown', protocol: 'C', flags: 'r----s', counters: { ...idle, oos: 1048508 },
    }]);
    expect(formatProcDrbd(p.devices, p)).to.equal(PROC_UP_ONE);
  });

  it('reads both nodes up before the initial sync (device lines only), and formats them back', () => {
    const d = minor(PROC_BOTH_UP);
    expect(d).to.deep.include({ cstate: 'Connected', role: 'Secondary', peerRole: 'Secondary', disk: 'Inconsistent', peerDisk: 'Inconsistent' });
    expect(formatDrbdDevice(d)).to.equal(PROC_BOTH_UP);
  });

  it('reads the SyncSource progress in K units (real TABs in the source), and formats it back', () => {
    const d = minor(PROC_SYNC_K);
    expect(d.counters).to.deep.include({ ns: 2872, dr: 3784, oos: 1045636 });
    expect(d.sync).to.deep.equal({ percent: 0.4, left: 1045636, total: 1048508, unit: 'K', finishSeconds: 653, speedKiBs: 1436, averageKiBs: 1436 });
    expect(formatDrbdDevice(d)).to.equal(PROC_SYNC_K);
  });

  it('reads the healthy single-primary steady state, and formats it back', () => {
    const d = minor(PROC_HEALTHY);
    expect(d).to.deep.include({ cstate: 'Connected', role: 'Primary', peerRole: 'Secondary', disk: 'UpToDate', peerDisk: 'UpToDate' });
    expect(d.counters['oos']).to.equal(0);
    expect(d.sync).to.equal(undefined);
    expect(formatDrbdDevice(d)).to.equal(PROC_HEALTHY);
  });

  it('reads the 8.4.11 cockpit sample (M units, want:), and formats it back with the TABs the kernel prints (the issue showed 8 spaces)', () => {
    const withTabs = PROC_COCKPIT.replace(/^ {8}/gm, '\t');
    const p = proc(PROC_COCKPIT);
    expect(proc(withTabs)).to.deep.equal(p);
    expect(p.buildTag).to.equal('srcversion: C83CE761848B9DE61379370');
    expect(minor(PROC_COCKPIT, 0).sync).to.deep.equal({ percent: 17.9, left: 3134016, total: 3815352, unit: 'M', finishSeconds: 38616, speedKiBs: 83088, averageKiBs: 100400 });
    expect(minor(PROC_COCKPIT, 1)).to.deep.include({ cstate: 'SyncTarget', role: 'Secondary', peerRole: 'Primary', disk: 'Inconsistent', peerDisk: 'UpToDate' });
    expect(minor(PROC_COCKPIT, 1).sync).to.deep.equal({ percent: 28.9, left: 1357196, total: 1907668, unit: 'M', finishSeconds: 13839, speedKiBs: 100404, averageKiBs: 103180, wantKiBs: 113600 });
    expect(formatProcDrbd(p.devices, p)).to.equal(withTabs);
  });

  it('reads the 8.4.1 dual-primary sample (wo:b; minor 0 gets no blank line), and formats it back', () => {
    const p = proc(PROC_DUAL);
    expect(p).to.deep.include({ version: '8.4.1', protoMax: 100 });
    expect(p.devices[0]).to.deep.include({ minor: 0, role: 'Primary', peerRole: 'Primary' });
    expect(minor(PROC_DUAL).counters).to.deep.include({ al: 10050, bm: 1583, wo: 'b', oos: 0 });
    expect(formatProcDrbd(p.devices, p)).to.equal(PROC_DUAL);
  });

  it('reads both split-brain nodes from the pastebin sample, and formats them back with the three blanks of a StandAlone line (pastebin collapsed them)', () => {
    const [survivor, victim] = parseDrbdDevices(PROC_SPLIT_PASTEBIN);
    expect(survivor).to.deep.include({ cstate: 'WFConnection', role: 'Primary', protocol: 'C', disk: 'UpToDate', peerDisk: 'DUnknown' });
    expect(victim).to.deep.include({ cstate: 'StandAlone', role: 'Secondary', flags: 'r-----' });
    expect(victim).to.not.have.property('protocol');
    const real = PROC_SPLIT_PASTEBIN.replace('DUnknown r-----\n    ns:0 nr:0 dw:0 dr:0', 'DUnknown   r-----\n    ns:0 nr:0 dw:0 dr:0');
    expect(parseDrbdDevices(real).map((d) => formatDrbdDevice(d)).join('')).to.equal(real);
  });

  it('reads the k8s-snap split-brain /proc/drbd (real three blanks), and formats it back exactly', () => {
    const p = proc(K8S_PROC);
    expect(p.devices[0]).to.deep.include({ minor: 0, cstate: 'StandAlone', disk: 'UpToDate', peerDisk: 'DUnknown', flags: 'r-----' });
    expect(p.devices[0]).to.not.have.property('protocol');
    expect(formatProcDrbd(p.devices, p)).to.equal(K8S_PROC);
  });

  it('reads drbd-utils 9 `drbdadm status` on that 8.4 kernel: no peer line once StandAlone', () => {
    expect(parseDrbdadmStatus(K8S_STATUS)).to.deep.equal([{ resource: 'r0', role: 'Primary', volumes: [{ disk: 'UpToDate' }], peers: [] }]);
    const device = proc(K8S_PROC).devices[0];
    if (device === undefined) throw new Error('no device');
    // The transcript's `drbdadm status` says Primary while its /proc/drbd says Secondary (taken at
    // different moments); with the role as `status` saw it, the v84-compat rules print the same text.
    const primary = device.kind === 'configured' ? { ...device, role: 'Primary' as const } : device;
    expect(formatDrbdadmStatus(drbdStatusFrom84('r0', primary))).to.equal(K8S_STATUS);
  });

  it('reads DRBD 9 /proc/drbd (version lines only), and formats it back', () => {
    const p = proc(PROC_DRBD9);
    expect(p).to.deep.equal({
      version: '9.0.6-1', api: 2, protoMin: 86, protoMax: 112,
      buildTag: 'GIT-hash: 08cda190c4f544a0c4e15ba792bbf47c69707b42 build by buildsystem@linbit, 2016-12-23 13:29:04',
      transports: 'Transports (api:15): tcp (1.0.0)', devices: [],
    });
    expect(formatProcDrbd([], p)).to.equal(PROC_DRBD9);
  });

  it('reads the older in-tree kernel quirk (finish on the same line after M) and prints it on request', () => {
    const line = ' 1: cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate C r-----\n'
      + '    ns:0 nr:1348 dw:1348 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:733646848\n'
      + "\t[>....................] sync'ed:  0.2% (715452/716800)Mfinish: 0:35:24 speed: 344,864 (344,864) want: 102,400 K/sec\n";
    const d = minor(line);
    expect(d.sync).to.deep.include({ left: 715452, total: 716800, unit: 'M', finishSeconds: 2124, speedKiBs: 344864, wantKiBs: 102400 });
    expect(formatDrbdDevice(d, { finishOnSameLine: true })).to.equal(line);
  });

  it('reads Unconfigured minors, 8.0 `st:`, and no module', () => {
    expect(parseDrbdDevices(' 0: cs:Unconfigured\n')).to.deep.equal([{ kind: 'unconfigured', minor: 0 }]);
    expect(formatDrbdDevice({ kind: 'unconfigured', minor: 0 })).to.equal(' 0: cs:Unconfigured\n');
    expect(minor(' 0: cs:Connected st:Primary/Secondary ds:UpToDate/UpToDate C r---\n    ns:1 nr:0 dw:1 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 oos:0\n'))
      .to.deep.include({ role: 'Primary', peerRole: 'Secondary' });
    expect(parseProcDrbd('cat: /proc/drbd: No such file or directory\n')).to.equal(undefined);
  });
});
