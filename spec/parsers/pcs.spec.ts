import { expect } from 'chai';
import { formatPcsClusterStart, formatPcsClusterStop, formatPcsError, formatPcsResourceCleanup, formatPcsStatus } from '../../lib/fleet/formats/index.js';
import { parsePcsStatus, pcsPrimitives } from '../../lib/parsers/index.js';

// Samples from domain.md §2, character for character (prompt lines dropped), each with its final newline.
function sample(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** [VERBATIM] Clusters from Scratch 1.1 (pacemaker 1.1.12 output): TABs and the blank after the node name are real. */
const PCS_11 = sample(
  'Cluster name: mycluster',
  'Last updated: Fri Aug 14 09:29:41 2015',
  'Last change: Fri Aug 14 09:29:25 2015',
  'Stack: corosync',
  'Current DC: pcmk-1 (1) - partition with quorum',
  'Version: 1.1.12-a14efad',
  '2 Nodes configured',
  '4 Resources configured',
  '',
  '',
  'Online: [ pcmk-1 pcmk-2 ]',
  '',
  'Full list of resources:',
  '',
  ' ClusterIP\t(ocf::heartbeat:IPaddr2):\tStarted pcmk-1 ',
  ' WebSite\t(ocf::heartbeat:apache):\tStarted pcmk-1 ',
  ' Master/Slave Set: WebDataClone [WebData]',
  '     Masters: [ pcmk-1 ]',
  '     Slaves: [ pcmk-2 ]',
  '',
  'PCSD Status:',
  '  pcmk-1: Online',
  '  pcmk-2: Online',
  '',
  'Daemon Status:',
  '  corosync: active/disabled',
  '  pacemaker: active/disabled',
  '  pcsd: active/enabled',
);

/** [VERBATIM] same doc — after `pcs cluster standby pcmk-1` (excerpt from the node lines on). */
const PCS_11_STANDBY = sample(
  'Node pcmk-1 (1): standby',
  'Online: [ pcmk-2 ]',
  '',
  'Full list of resources:',
  '',
  ' ClusterIP\t(ocf::heartbeat:IPaddr2):\tStarted pcmk-2 ',
  ' WebSite\t(ocf::heartbeat:apache):\tStarted pcmk-2 ',
  ' Master/Slave Set: WebDataClone [WebData]',
  '     Masters: [ pcmk-2 ]',
  '     Stopped: [ pcmk-1 ]',
  ' WebFS\t(ocf::heartbeat:Filesystem):\tStarted pcmk-2 ',
);

/** [RECONSTRUCTED from the 1.1.18 format strings + jtel naming] storage pair, healthy. */
const PCS_118 = sample(
  'Cluster name: jtelstore',
  'Stack: corosync',
  'Current DC: acd-store1 (version 1.1.23-1.el7_9.1-9acf116022) - partition with quorum',
  'Last updated: Mon Mar  3 10:00:00 2025',
  'Last change: Mon Mar  3 09:55:12 2025 by root via cibadmin on acd-store1',
  '',
  '2 nodes configured',
  '2 resources configured',
  '',
  'Online: [ acd-store1 acd-store2 ]',
  '',
  'Full list of resources:',
  '',
  ' ClusterIP\t(ocf::heartbeat:IPaddr2):\tStarted acd-store1',
  ' samba\t(systemd:smb):\tStarted acd-store1',
  '',
  'Daemon Status:',
  '  corosync: active/enabled',
  '  pacemaker: active/enabled',
  '  pcsd: active/enabled',
);

/** [VERBATIM] Clusters from Scratch 2.1 — `pcs status` on a node without the stack. */
const PCS_2_DOWN = sample(
  'Error: error running crm_mon, is pacemaker running?',
  '  Could not connect to pacemakerd: Connection refused',
  '  crm_mon: Connection to cluster failed: Connection refused',
);

/** [VERBATIM] pacemaker HEAD Clusters from Scratch active-passive.rst (2.1 layout). */
const PCS_2 = sample(
  'Cluster name: mycluster',
  'Cluster Summary:',
  '  * Stack: corosync',
  '  * Current DC: pcmk-1 (version 2.1.2-4.el9-ada5c3b36e2) - partition with quorum',
  '  * Last updated: Wed Jul 27 00:43:51 2022',
  '  * Last change:  Wed Jul 27 00:43:14 2022 by root via cibadmin on pcmk-1',
  '  * 2 nodes configured',
  '  * 2 resource instances configured',
  '',
  'Node List:',
  '  * Online: [ pcmk-1 ]',
  '  * OFFLINE: [ pcmk-2 ]',
  '',
  'Full List of Resources:',
  '  * fence_dev\t(stonith:some_fence_agent):\t Started pcmk-1',
  '  * ClusterIP\t(ocf:heartbeat:IPaddr2):\t Started pcmk-1',
  '',
  'Daemon Status:',
  '  corosync: active/disabled',
  '  pacemaker: active/disabled',
  '  pcsd: active/enabled',
);

/** [VERBATIM] Clusters from Scratch — `pcs cluster start --all`. */
const PCS_START = sample(
  'pcmk-1: Starting Cluster...',
  'pcmk-2: Starting Cluster...',
);

/** [VERBATIM] Clusters from Scratch 2.1 — `pcs cluster stop pcmk-2`. */
const PCS_STOP_ONE = sample(
  'pcmk-2: Stopping Cluster (pacemaker)...',
  'pcmk-2: Stopping Cluster (corosync)...',
);

/** [VERBATIM] pacemaker PR #1981 (2.0.3) — crm_resource cleanup output. */
const CLEANUP = sample(
  'Cleaned up prmPing:0 on rh80-test01',
  'Cleaned up prmPing:1 on rh80-test01',
  'Waiting for 2 replies from the controller.. OK',
);

describe('parsers: pcs status', () => {
  it('reads the pacemaker 1.1.12 sample (old header, Master/Slave set, PCSD and daemon status), and formats it back exactly', () => {
    const s = parsePcsStatus(PCS_11);
    expect(s).to.deep.include({ layout: '1.1-early', stackRunning: true, clusterName: 'mycluster' });
    expect(s.header).to.deep.equal({
      stack: 'corosync', dc: { name: 'pcmk-1', id: '1' }, quorum: true, version: '1.1.12-a14efad', lastUpdated: 'Fri Aug 14 09:29:41 2015',
      lastChange: 'Fri Aug 14 09:29:25 2015', nodesConfigured: 2, resourcesConfigured: 4,
    });
    expect(s.nodes).to.deep.equal([{ name: 'pcmk-1', state: 'online' }, { name: 'pcmk-2', state: 'online' }]);
    expect(s.resources).to.deep.equal([
      { kind: 'primitive', id: 'ClusterIP', agent: 'ocf:heartbeat:IPaddr2', state: 'Started', node: 'pcmk-1' },
      { kind: 'primitive', id: 'WebSite', agent: 'ocf:heartbeat:apache', state: 'Started', node: 'pcmk-1' },
      { kind: 'clone', id: 'WebDataClone', child: 'WebData', promotable: true, instances: [{ role: 'promoted', nodes: ['pcmk-1'] }, { role: 'unpromoted', nodes: ['pcmk-2'] }] },
    ]);
    expect(s.failedActions).to.deep.equal([]);
    expect(s.pcsd).to.deep.equal([{ node: 'pcmk-1', status: 'Online' }, { node: 'pcmk-2', status: 'Online' }]);
    expect(s.daemons).to.deep.equal([{ name: 'corosync', status: 'active/disabled' }, { name: 'pacemaker', status: 'active/disabled' }, { name: 'pcsd', status: 'active/enabled' }]);
    expect(formatPcsStatus(s)).to.deep.equal({ stdout: PCS_11, stderr: '', exitCode: 0 });
  });

  it('reads the standby excerpt (`Node pcmk-1 (1): standby`, a Stopped clone instance), and formats it back exactly', () => {
    const s = parsePcsStatus(PCS_11_STANDBY);
    expect(s.layout).to.equal('1.1-early');
    expect(s.header).to.equal(undefined);
    expect(s.nodes).to.deep.equal([{ name: 'pcmk-1', id: '1', state: 'standby' }, { name: 'pcmk-2', state: 'online' }]);
    expect(s.resources[2]).to.deep.equal({ kind: 'clone', id: 'WebDataClone', child: 'WebData', promotable: true, instances: [{ role: 'promoted', nodes: ['pcmk-2'] }, { role: 'stopped', nodes: ['pcmk-1'] }] });
    expect(pcsPrimitives(s.resources).map((p) => `${p.id}@${p.node ?? '-'}`)).to.deep.equal(['ClusterIP@pcmk-2', 'WebSite@pcmk-2', 'WebFS@pcmk-2']);
    expect(formatPcsStatus(s).stdout).to.equal(PCS_11_STANDBY);
  });

  it('reads the 1.1.18 storage pair (version in the DC line, systemd agent), and formats it back exactly', () => {
    const s = parsePcsStatus(PCS_118);
    expect(s.layout).to.equal('1.1');
    expect(s.header).to.deep.equal({
      stack: 'corosync', dc: { name: 'acd-store1' }, quorum: true, version: '1.1.23-1.el7_9.1-9acf116022', lastUpdated: 'Mon Mar  3 10:00:00 2025',
      lastChange: 'Mon Mar  3 09:55:12 2025 by root via cibadmin on acd-store1', nodesConfigured: 2, resourcesConfigured: 2,
    });
    expect(s.resources[1]).to.deep.equal({ kind: 'primitive', id: 'samba', agent: 'systemd:smb', state: 'Started', node: 'acd-store1' });
    expect(formatPcsStatus(s).stdout).to.equal(PCS_118);
  });

  it('reads the pacemaker 2.1 bullet layout (Node List, OFFLINE, `\\t Started`), and formats it back exactly', () => {
    const s = parsePcsStatus(PCS_2);
    expect(s.layout).to.equal('2');
    expect(s.header).to.deep.include({ dc: { name: 'pcmk-1' }, version: '2.1.2-4.el9-ada5c3b36e2', lastChange: 'Wed Jul 27 00:43:14 2022 by root via cibadmin on pcmk-1', resourcesConfigured: 2 });
    expect(s.nodes).to.deep.equal([{ name: 'pcmk-1', state: 'online' }, { name: 'pcmk-2', state: 'offline' }]);
    expect(s.resources).to.deep.equal([
      { kind: 'primitive', id: 'fence_dev', agent: 'stonith:some_fence_agent', state: 'Started', node: 'pcmk-1' },
      { kind: 'primitive', id: 'ClusterIP', agent: 'ocf:heartbeat:IPaddr2', state: 'Started', node: 'pcmk-1' },
    ]);
    expect(formatPcsStatus(s).stdout).to.equal(PCS_2);
    expect(formatPcsStatus(s, { now: new Date(Date.UTC(2022, 6, 27, 0, 43, 51)) }).stdout).to.equal(PCS_2);
  });

  it('reads "not running" in both pcs generations, and prints each on stderr with exit 1', () => {
    expect(parsePcsStatus(PCS_2_DOWN)).to.deep.equal({ layout: '2', stackRunning: false, nodes: [], resources: [], failedActions: [] });
    expect(formatPcsStatus(parsePcsStatus(PCS_2_DOWN))).to.deep.equal({ stdout: '', stderr: PCS_2_DOWN, exitCode: 1 });
    const old = 'Error: cluster is not currently running on this node\n';
    expect(parsePcsStatus(old).stackRunning).to.equal(false);
    expect(formatPcsStatus({ layout: '1.1', stackRunning: false, nodes: [], resources: [], failedActions: [] }).stderr).to.equal(old);
    expect(formatPcsError({ kind: 'cluster-not-running' })).to.deep.equal({ stdout: '', stderr: old, exitCode: 1 });
  });

  it('reads failed actions in the 2.x form (the cts sample line), and formats them back', () => {
    const text = 'Failed Resource Actions:\n  * dummy-2_monitor_0 on cluster02 \'Unimplemented\' (3): call=2, status=\'Done\', queued=0ms, exec=33ms\n';
    const s = parsePcsStatus(`Node List:\n  * Online: [ cluster02 ]\n\nFull List of Resources:\n  * No resources\n\n${text}`);
    expect(s.failedActions).to.deep.equal([{ resource: 'dummy-2', operation: 'monitor', interval: 0, node: 'cluster02', rcText: 'Unimplemented', rc: 3, call: 2, status: 'Done', queuedMs: 0, execMs: 33 }]);
    expect(formatPcsStatus(s).stdout).to.equal(`Node List:\n  * Online: [ cluster02 ]\n\nFull List of Resources:\n  * No resources\n\n${text}`);
    const full = parsePcsStatus("Failed Resource Actions:\n  * web-service_monitor_30000 on node-02 'not running' (7): call=28, status='complete', exitreason='inactive', ...\n");
    expect(full.failedActions[0]).to.deep.include({ resource: 'web-service', operation: 'monitor', interval: 30000, rc: 7, exitReason: 'inactive' });
  });
});

describe('pcs cluster start/stop, resource cleanup', () => {
  it('prints `pcs cluster start --all` as documented (stdout before pcs 0.11.1, stderr after)', () => {
    expect(formatPcsClusterStart(['pcmk-1', 'pcmk-2'], { pcs: '0.10' })).to.deep.equal({ stdout: PCS_START, stderr: '', exitCode: 0 });
    expect(formatPcsClusterStart(['pcmk-1', 'pcmk-2'], { pcs: '0.11' })).to.deep.equal({ stdout: '', stderr: PCS_START, exitCode: 0 });
    expect(formatPcsClusterStart(['acd-store1', 'acd-store2'], { pcs: '0.9' }).stdout).to.equal(sample(
      'acd-store1: Starting Cluster (corosync)...', 'acd-store2: Starting Cluster (corosync)...',
      'acd-store1: Starting Cluster (pacemaker)...', 'acd-store2: Starting Cluster (pacemaker)...',
    ));
  });

  it('prints `pcs cluster stop` as documented, and an unreachable node as a failure', () => {
    expect(formatPcsClusterStop(['pcmk-2'], { pcs: '0.10' }).stdout).to.equal(PCS_STOP_ONE);
    expect(formatPcsClusterStop(['a', 'b'], { pcs: '0.10', unreachable: ['b'] })).to.deep.equal({
      stdout: 'a: Stopping Cluster (pacemaker)...\na: Stopping Cluster (corosync)...\n',
      stderr: 'b: Not stopping cluster - node is unreachable\nError: unable to stop all nodes\n',
      exitCode: 1,
    });
  });

  it('prints `pcs resource cleanup` as crm_resource does (PR #1981 sample), and the 1.1 CRMd form on stderr', () => {
    const cleaned = [{ resource: 'prmPing:0', node: 'rh80-test01' }, { resource: 'prmPing:1', node: 'rh80-test01' }];
    expect(formatPcsResourceCleanup({ layout: '2', cleaned })).to.deep.equal({ stdout: CLEANUP, stderr: '', exitCode: 0 });
    expect(formatPcsResourceCleanup({ layout: '1.1', cleaned: 'all' })).to.deep.equal({
      stdout: 'Cleaned up all resources on all nodes\n', stderr: 'Waiting for 1 reply from the CRMd. OK\n', exitCode: 0,
    });
  });
});
