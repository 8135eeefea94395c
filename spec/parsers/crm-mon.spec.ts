import { expect } from 'chai';
import { crmMonFromPcs, formatCrmMonXml } from '../../lib/fleet/formats/index.js';
import { parseCrmMonXml, parsePcsStatus, xmlElements } from '../../lib/parsers/index.js';
import type { CrmMonResult } from '../../lib/parsers/index.js';

// Sample from domain.md §2.6, character for character.
function sample(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function crm(xml: string): CrmMonResult {
  const r = parseCrmMonXml(xml);
  if (r === undefined) throw new Error('not crm_mon XML');
  return r;
}

/** [VERBATIM excerpt] pacemaker cts/cli/regression.crm_mon.exp, "Basic output (XML)" — `...` marks the cuts. */
const CRM_MON_2 = sample(
  '<pacemaker-result api-version="X" request="crm_mon --output-as=xml -1">',
  '  <summary>',
  '    <stack type="corosync"/>',
  '    <current_dc present="true" version="" name="cluster02" id="2" with_quorum="true" mixed_version="false"/>',
  '    ...',
  '  </summary>',
  '  <nodes>',
  '    <node name="cluster01" id="1" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" health="green" feature_set="&lt;3.15.1" shutdown="false" expected_up="true" is_dc="false" resources_running="7" type="member"/>',
  '    ...',
  '  </nodes>',
  '  <resources>',
  '    <resource id="Fencing" resource_agent="stonith:fence_xvm" role="Started" active="true" orphaned="false" removed="false" blocked="false" maintenance="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1">',
  '      <node name="cluster01" id="1" cached="true"/>',
  '    </resource>',
  '    <group id="exim-group" number_resources="2" maintenance="false" managed="true" disabled="false">',
  '      <resource id="Public-IP" resource_agent="ocf:heartbeat:IPaddr" role="Started" active="true" ... nodes_running_on="1">',
  '        <node name="cluster02" id="2" cached="true"/>',
  '      </resource>',
  '      ...',
  '    </group>',
  '    ...',
  '  </resources>',
  '  ...',
  '  <status code="0" message="OK"/>',
  '</pacemaker-result>',
);

/** What pacemaker 1.1.18 prints for a healthy storage pair (format from tools/crm_mon.c and lib/pengine/native.c @1.1.18). */
const CRM_MON_11 = sample(
  '<?xml version="1.0"?>',
  '<crm_mon version="1.1.23">',
  '    <summary>',
  '        <stack type="corosync" />',
  '        <current_dc present="true" version="1.1.23-1.el7_9.1-9acf116022" name="acd-store1" id="1" with_quorum="true" />',
  '        <last_update time="Mon Mar  3 10:00:00 2025" />',
  '        <nodes_configured number="2" expected_votes="unknown" />',
  '        <resources_configured number="2" disabled="0" blocked="0" />',
  '    </summary>',
  '    <nodes>',
  '        <node name="acd-store1" id="1" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="true" resources_running="2" type="member" />',
  '        <node name="acd-store2" id="2" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="false" resources_running="0" type="member" />',
  '    </nodes>',
  '    <resources>',
  '        <resource id="ClusterIP" resource_agent="ocf::heartbeat:IPaddr2" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1" >',
  '            <node name="acd-store1" id="1" cached="false"/>',
  '        </resource>',
  '        <resource id="samba" resource_agent="systemd:smb" role="Started" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1" >',
  '            <node name="acd-store1" id="1" cached="false"/>',
  '        </resource>',
  '    </resources>',
  '</crm_mon>',
);

describe('parsers: crm_mon XML', () => {
  it('reads the pacemaker 2 regression excerpt (tolerating its `...` cuts): DC, nodes, resources inside groups', () => {
    const r = crm(CRM_MON_2);
    expect(r).to.deep.include({ layout: '2', version: 'X', stack: 'corosync' });
    expect(r.dc).to.deep.equal({ name: 'cluster02', id: '2', version: '', withQuorum: true });
    expect(r.nodes).to.deep.equal([{
      name: 'cluster01', id: '1', online: true, standby: false, standbyOnFail: false, maintenance: false, pending: false, unclean: false,
      shutdown: false, expectedUp: true, isDc: false, resourcesRunning: 7, type: 'member',
    }]);
    expect(r.resources).to.deep.equal([
      { id: 'Fencing', agent: 'stonith:fence_xvm', role: 'Started', active: true, orphaned: false, blocked: false, managed: true, failed: false, failureIgnored: false, nodes: ['cluster01'] },
      { id: 'Public-IP', agent: 'ocf:heartbeat:IPaddr', role: 'Started', active: true, orphaned: false, blocked: false, managed: true, failed: false, failureIgnored: false, nodes: ['cluster02'], parent: { kind: 'group', id: 'exim-group' } },
    ]);
  });

  it('reads the 1.1.18 form (`<crm_mon>` root, `ocf::` agents, ` />`) and prints it byte for byte from the pcs state', () => {
    const r = crm(CRM_MON_11);
    expect(r).to.deep.include({ layout: '1.1', version: '1.1.23', lastUpdate: 'Mon Mar  3 10:00:00 2025' });
    expect(r.resources.map((x) => `${x.id}:${x.agent}@${x.nodes.join(',')}`)).to.deep.equal(['ClusterIP:ocf::heartbeat:IPaddr2@acd-store1', 'samba:systemd:smb@acd-store1']);
    expect(formatCrmMonXml(r)).to.equal(CRM_MON_11);
    const fromPcs = crmMonFromPcs(parsePcsStatus([
      'Stack: corosync', 'Current DC: acd-store1 (version 1.1.23-1.el7_9.1-9acf116022) - partition with quorum', 'Last updated: Mon Mar  3 10:00:00 2025',
      '', '2 nodes configured', '2 resources configured', '', 'Online: [ acd-store1 acd-store2 ]', '', 'Full list of resources:', '',
      ' ClusterIP\t(ocf::heartbeat:IPaddr2):\tStarted acd-store1', ' samba\t(systemd:smb):\tStarted acd-store1', '',
    ].join('\n')));
    expect(formatCrmMonXml(fromPcs)).to.equal(CRM_MON_11);
    const as2 = crm(formatCrmMonXml(r, { layout: '2' }));
    expect(as2.layout).to.equal('2');
    expect(as2.resources[0]?.agent).to.equal('ocf:heartbeat:IPaddr2');
    expect(formatCrmMonXml(as2, { layout: '1.1' })).to.equal(CRM_MON_11);
  });

  it('finds resources in clones and skips node_attributes / node_history nodes and entities', () => {
    const xml = [
      '<pacemaker-result api-version="2.20" request="crm_mon -1 --output-as=xml">',
      '  <nodes><node name="a&amp;b" id="1" online="false" standby="true" unclean="true" resources_running="0" type="member"/></nodes>',
      '  <resources><clone id="c" multi_state="true"><resource id="r" resource_agent="ocf:pacemaker:Stateful" role="Promoted" active="true" failed="false" nodes_running_on="1"><node name="a&amp;b" id="1" cached="true"/></resource></clone></resources>',
      '  <node_attributes><node name="ghost"/></node_attributes>',
      '</pacemaker-result>',
    ].join('\n');
    const r = crm(xml);
    expect(r.nodes.map((n) => [n.name, n.online, n.standby, n.unclean])).to.deep.equal([['a&b', false, true, true]]);
    expect(r.resources[0]).to.deep.include({ id: 'r', role: 'Promoted', nodes: ['a&b'], parent: { kind: 'clone', id: 'c' } });
    expect(xmlElements('<!-- <x/> --><a b=\'1\'/>')).to.have.length(1);
    expect(parseCrmMonXml('<html/>')).to.equal(undefined);
  });
});
