import { expect } from 'chai';
import {
  crmMonFromPcs, drbdCounters, formatCrmMonXml, formatDrbdadmStatus, formatHazelcastHealth, formatPcsStatus, formatProcDrbd, formatQmError,
  formatQmList, formatQmStatus, formatSlaveStatus, formatVirshAction, formatVirshDomstate, formatVirshError, formatVirshList,
} from '../../lib/fleet/formats/index.js';
import { parseCrmMonXml, parseDrbdadmStatus, parseHazelcastHealth, parsePcsStatus, parseProcDrbd, parseReplicaStatus } from '../../lib/parsers/index.js';
import type { DrbdMinor, DrbdStatus, HazelcastHealth, PcsLayout, PcsStatus, ProcDrbd, ReplicaStatus } from '../../lib/parsers/index.js';
import { parsePowerState, reportsAlreadyOff, reportsAlreadyOn } from '../../lib/power/index.js';

// Round trips: for states the simulated fleet produces, parse(format(x)) gives x back.

const header = { version: '8.4.11', api: 1, protoMin: 86, protoMax: 101, buildTag: 'srcversion: C83CE761848B9DE61379370' };
const primary: DrbdMinor = {
  kind: 'configured', minor: 0, cstate: 'Connected', role: 'Primary', peerRole: 'Secondary', disk: 'UpToDate', peerDisk: 'UpToDate',
  protocol: 'C', flags: 'r-----', counters: drbdCounters({ ns: 1048508, dr: 1049420 }),
};
const DRBD_STATES: Readonly<Record<string, DrbdMinor>> = {
  'healthy pair, primary side': primary,
  'healthy pair, secondary side': { ...primary, role: 'Secondary', peerRole: 'Primary', counters: drbdCounters({ nr: 1048508, dw: 1048508 }) },
  'peer gone (WFConnection)': { ...primary, cstate: 'WFConnection', peerRole: 'Unknown', peerDisk: 'DUnknown', counters: drbdCounters({ oos: 20 }) },
  'SyncTarget at 28.9 % in M units': {
    ...primary, minor: 2, cstate: 'SyncTarget', role: 'Secondary', peerRole: 'Primary', disk: 'Inconsistent',
    counters: drbdCounters({ nr: 563686400, dw: 563682304, al: 8, lo: 5, pe: 21, ua: 4, oos: 1389772624 }),
    sync: { percent: 28.9, left: 1357196, total: 1907668, unit: 'M', finishSeconds: 13839, speedKiBs: 100404, averageKiBs: 103180, wantKiBs: 113600 },
  },
  'StandAlone after split brain': { kind: 'configured', minor: 0, cstate: 'StandAlone', role: 'Secondary', peerRole: 'Unknown', disk: 'UpToDate', peerDisk: 'DUnknown', flags: 'r-----', counters: drbdCounters({ oos: 1802140 }) },
  'online verify, stalled': {
    ...primary, cstate: 'VerifyS', counters: drbdCounters({ oos: 0 }),
    sync: { percent: 100, left: 0, total: 1048508, unit: 'K', finishSeconds: 0, speedKiBs: 0, averageKiBs: 1200300, wantKiBs: 1000, stalled: true },
  },
};

describe('fleet formats: round trips through the parsers', () => {
  for (const [name, device] of Object.entries(DRBD_STATES)) {
    it(`/proc/drbd: ${name}`, () => {
      const proc: ProcDrbd = { ...header, devices: [device] };
      expect(parseProcDrbd(formatProcDrbd(proc.devices, proc))).to.deep.equal(proc);
    });
  }

  it('/proc/drbd: several minors with a gap, and an Unconfigured one', () => {
    const proc: ProcDrbd = { ...header, devices: [{ kind: 'unconfigured', minor: 0 }, { ...primary, minor: 1 }, { ...primary, minor: 5 }] };
    const text = formatProcDrbd(proc.devices, proc);
    expect(text).to.contain('0: cs:Unconfigured\n 1: cs:Connected').and.to.contain('oos:0\n\n 5: cs:Connected');
    expect(parseProcDrbd(text)).to.deep.equal(proc);
  });

  it('drbdadm status: syncing, connecting, several volumes with extra tokens', () => {
    const states: DrbdStatus[] = [
      { resource: 'jtelshared', role: 'Primary', volumes: [{ disk: 'UpToDate' }], peers: [{ name: 'acd-store2', role: 'Secondary', volumes: [{ replication: 'SyncSource', peerDisk: 'Inconsistent', donePercent: 42.17 }] }] },
      { resource: 'jtelshared', role: 'Secondary', volumes: [{ disk: 'Outdated' }], peers: [{ name: 'acd-store1', connection: 'Connecting', volumes: [] }] },
      {
        resource: 'r1', role: 'Secondary', extra: { suspended: 'user' },
        volumes: [{ volume: 0, disk: 'UpToDate', extra: { open: 'no' } }, { volume: 1, disk: 'Diskless', extra: { client: 'no', quorum: 'no' } }],
        peers: [{ name: 'b', role: 'Primary', volumes: [{ volume: 0, peerDisk: 'UpToDate' }, { volume: 1, replication: 'PausedSyncT', peerDisk: 'UpToDate', donePercent: 3, extra: { 'resync-suspended': 'peer' } }] }],
      },
    ];
    expect(parseDrbdadmStatus(formatDrbdadmStatus(states))).to.deep.equal(states);
  });

  const pcs: PcsStatus = {
    layout: '1.1',
    stackRunning: true,
    clusterName: 'jtelstore',
    header: {
      stack: 'corosync', dc: { name: 'acd-store2' }, quorum: true, version: '1.1.23-1.el7_9.1-9acf116022', lastUpdated: 'Mon Mar  3 10:00:00 2025',
      lastChange: 'Mon Mar  3 09:55:12 2025 by root via cibadmin on acd-store1', nodesConfigured: 3, resourcesConfigured: 7, disabled: 1,
    },
    nodes: [{ name: 'acd-store1', state: 'standby' }, { name: 'acd-store3', state: 'maintenance' }, { name: 'acd-store2', state: 'online' }],
    resources: [
      { kind: 'primitive', id: 'ClusterIP', agent: 'ocf:heartbeat:IPaddr2', state: 'Started', node: 'acd-store2' },
      { kind: 'primitive', id: 'samba', agent: 'systemd:smb', state: 'FAILED', node: 'acd-store2', flags: ['blocked'] },
      { kind: 'primitive', id: 'backup', agent: 'systemd:backup', state: 'Stopped', flags: ['disabled'] },
      { kind: 'group', id: 'web', members: [{ kind: 'primitive', id: 'fs', agent: 'ocf:heartbeat:Filesystem', state: 'Started', node: 'acd-store2' }] },
      { kind: 'clone', id: 'drbd-clone', child: 'drbd', promotable: true, instances: [{ role: 'promoted', nodes: ['acd-store2'] }, { role: 'stopped', nodes: ['acd-store1'] }] },
      { kind: 'clone', id: 'ping-clone', child: 'ping', promotable: false, instances: [{ role: 'started', nodes: ['acd-store2', 'acd-store3'] }] },
    ],
    failedActions: [{
      resource: 'samba', operation: 'start', interval: 0, node: 'acd-store2', rcText: 'unknown error', rc: 1, call: 22, status: 'complete',
      exitReason: 'smb.service failed', lastRcChange: 'Mon Mar  3 09:58:01 2025', queuedMs: 0, execMs: 1089,
    }],
    pcsd: [{ node: 'acd-store1', status: 'Online' }, { node: 'acd-store2', status: 'Online' }],
    daemons: [{ name: 'corosync', status: 'active/enabled' }],
  };

  for (const layout of ['1.1-early', '1.1', '2'] as const satisfies readonly PcsLayout[]) {
    it(`pcs status (${layout}): standby node, failed action, group, clones, flags`, () => {
      const state: PcsStatus = { ...pcs, layout };
      const out = formatPcsStatus(state);
      expect(out.exitCode).to.equal(0);
      expect(parsePcsStatus(out.stdout)).to.deep.equal(state);
    });
  }

  it('crm_mon XML (1.1 and 2) from the same pcs state', () => {
    for (const layout of ['1.1', '2'] as const) {
      const result = crmMonFromPcs({ ...pcs, layout });
      expect(parseCrmMonXml(formatCrmMonXml(result))).to.deep.equal(result);
      expect(result.resources.find((r) => r.id === 'ClusterIP')).to.deep.include({ active: true, failed: false, nodes: ['acd-store2'] });
    }
  });

  const replica: ReplicaStatus = {
    flavour: 'mysql57', naming: 'slave', ioState: 'Connecting to master', masterHost: 'acd-dbm', masterUser: 'repl', masterPort: 3306,
    connectRetry: 60, masterLogFile: 'mysql-bin.000042', readMasterLogPos: 154, relayLogFile: 'acd-dbs1-relay-bin.000007', relayLogPos: 367,
    relayMasterLogFile: 'mysql-bin.000042', ioRunning: 'Connecting', sqlRunning: 'Yes', lastErrno: 0, lastError: '', execMasterLogPos: 154,
    secondsBehind: null, lastIoErrno: 2003, lastIoError: "error connecting to master 'repl@acd-dbm:3306' - retry-time: 60  retries: 1",
    lastSqlErrno: 0, lastSqlError: '', masterServerId: 0, sqlRunningState: 'Slave has read all relay log; waiting for more updates',
    extra: { Last_IO_Error_Timestamp: '250303 10:00:00', Master_Info_File: '/var/lib/mysql/master.info' },
  };
  const REPLICAS: Readonly<Record<string, ReplicaStatus>> = {
    'replica Connecting with Last_IO_Error (5.7)': replica,
    'MySQL 8.0 REPLICA names, healthy': {
      ...replica, flavour: 'mysql80', naming: 'replica', ioState: 'Waiting for source to send event', ioRunning: 'Yes', secondsBehind: 0,
      lastIoErrno: 0, lastIoError: '', masterServerId: 1, sqlRunningState: 'Replica has read all relay log; waiting for more updates',
      extra: { Master_UUID: '3e11fa47-71ca-11e1-9e33-c80aa9429562', Auto_Position: '1', Network_Namespace: 'mgmt' },
    },
    'MariaDB with GTID, SQL error': {
      ...replica, flavour: 'mariadb', ioState: 'Waiting for master to send event', ioRunning: 'Yes', sqlRunning: 'No', lastIoErrno: 0, lastIoError: '',
      lastErrno: 1062, lastError: "Duplicate entry '1' for key 'PRIMARY'", lastSqlErrno: 1062, lastSqlError: "Duplicate entry '1' for key 'PRIMARY'",
      sqlRunningState: '', extra: { Using_Gtid: 'Slave_Pos', Gtid_IO_Pos: '0-1-100', Parallel_Mode: 'conservative' },
    },
  };
  for (const [name, status] of Object.entries(REPLICAS)) {
    it(`SHOW SLAVE|REPLICA STATUS: ${name}`, () => {
      expect(parseReplicaStatus(formatSlaveStatus(status))).to.deep.equal(status);
    });
  }

  it('SHOW REPLICA STATUS pads to the flavour\'s longest column (30 for MariaDB\'s Slave_Non_Transactional_Groups)', () => {
    const maria = formatSlaveStatus(replica, { flavour: 'mariadb' });
    expect(maria).to.contain('\nSlave_Non_Transactional_Groups: 0\n').and.to.contain('\n                 Last_IO_Errno: 2003\n');
    expect(formatSlaveStatus(replica, { flavour: 'mysql80' })).to.contain('\n           Replica_IO_Running: Connecting\n');
  });

  it('Hazelcast health, both generations', () => {
    const h: HazelcastHealth = { nodeState: 'PASSIVE', clusterState: 'IN_TRANSITION', clusterSafe: false, migrationQueueSize: 17, clusterSize: 1 };
    for (const version of [3, 5] as const) expect(parseHazelcastHealth(formatHazelcastHealth(h, { version }))).to.deep.equal(h);
    expect(formatHazelcastHealth(h, { version: 3 })).to.contain('Hazelcast::ClusterSafe=FALSE\n');
  });
});

describe('fleet formats: virsh and qm (read by lib/power)', () => {
  it('virsh domstate with and without --reason ends with an empty line, and the power driver reads it', () => {
    expect(formatVirshDomstate('running')).to.equal('running\n\n');
    expect(formatVirshDomstate('crashed', { reason: 'panicked' })).to.equal('crashed (panicked)\n\n');
    expect(formatVirshDomstate('shut off', { reason: 'destroyed' })).to.equal('shut off (destroyed)\n\n');
    const read = (stdout: string): string => parsePowerState('virsh', { exitCode: 0, stdout, stderr: '' });
    expect([read(formatVirshDomstate('running', { reason: 'booted' })), read(formatVirshDomstate('shut off', { reason: 'shutdown' })), read(formatVirshDomstate('in shutdown'))]).to.deep.equal(['on', 'off', 'on']);
  });

  it('virsh start|shutdown|destroy messages, quoted (new libvirt) and bare (4.5)', () => {
    expect(formatVirshAction('start', 'acd-store')).to.deep.equal({ stdout: "Domain 'acd-store' started\n\n", stderr: '', exitCode: 0 });
    expect(formatVirshAction('shutdown', 'acd-store').stdout).to.equal("Domain 'acd-store' is being shutdown\n\n");
    expect(formatVirshAction('destroy', 'acd-store', { libvirt: 'old' }).stdout).to.equal('Domain acd-store destroyed\n\n');
  });

  it('virsh errors: already active, not running, unknown domain (exit 1), recognised as no-ops by the power driver', () => {
    const active = formatVirshError('acd-store', { kind: 'already-active' });
    expect(active).to.deep.equal({ stdout: '', stderr: 'error: Domain is already active\n', exitCode: 1 });
    expect(reportsAlreadyOn(active)).to.equal(true);
    const off = formatVirshError('acd-store', { kind: 'not-running', action: 'shutdown' });
    expect(off.stderr).to.equal("error: Failed to shutdown domain 'acd-store'\nerror: Requested operation is not valid: domain is not running\n");
    expect(reportsAlreadyOff(off)).to.equal(true);
    expect(formatVirshError('acd-store', { kind: 'not-running', action: 'destroy' }, { libvirt: 'old' }).stderr).to.contain('error: Failed to destroy domain acd-store\n');
    expect(formatVirshError('nosuchvm', { kind: 'no-domain' }).stderr).to.equal("error: failed to get domain 'nosuchvm'\n");
  });

  it('virsh list --all in both table styles, and --name', () => {
    const domains = [{ name: 'acd-store', id: 1, state: 'running' }, { name: 'acd-dbm', state: 'shut off' }] as const;
    expect(formatVirshList(domains, { all: true })).to.equal(' Id   Name        State     \n----------------------------\n 1    acd-store   running   \n -    acd-dbm     shut off  \n\n');
    expect(formatVirshList(domains, { all: true, libvirt: 'old' })).to.equal(
      ` Id    Name                           State\n${'-'.repeat(52)}\n 1     acd-store                      running\n -     acd-dbm                        shut off\n\n`,
    );
    expect(formatVirshList(domains, { name: true })).to.equal('acd-store\n\n');
  });

  it('qm status, qm list (qm.pm printf, incl. the padding after PID the sample trimmed), qm errors', () => {
    expect(formatQmStatus('running')).to.equal('status: running\n');
    expect(parsePowerState('qm', { exitCode: 0, stdout: formatQmStatus('stopped'), stderr: '' })).to.equal('off');
    const list = formatQmList([
      { vmid: 103, name: 'acd-dbm', status: 'stopped', memMb: 16384, bootDiskGb: 200, pid: 0 },
      { vmid: 101, name: 'acd-store', status: 'running', memMb: 4096, bootDiskGb: 64, pid: 2211 },
      { vmid: 102, name: 'acd-lb', status: 'running', memMb: 2048, bootDiskGb: 32, pid: 2290 },
    ]);
    // domain.md §5.2 [RECONSTRUCTED] sample, trailing blanks of `%-10s` restored.
    expect(list).to.equal([
      '      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID       ',
      '       101 acd-store            running    4096              64.00 2211      ',
      '       102 acd-lb               running    2048              32.00 2290      ',
      '       103 acd-dbm              stopped    16384            200.00 0         ',
      '',
    ].join('\n'));
    const running = formatQmError({ kind: 'already-running', vmid: 102 });
    expect(running).to.deep.equal({ stdout: '', stderr: 'VM 102 already running\n', exitCode: 255 });
    expect(reportsAlreadyOn(running)).to.equal(true);
    expect(formatQmError({ kind: 'shutdown-timeout' }).stderr).to.equal('VM quit/powerdown failed - got timeout\n');
    expect(formatQmError({ kind: 'agent-timeout' }).stderr).to.equal("qga command 'guest-shutdown' failed - got timeout\n");
  });
});
