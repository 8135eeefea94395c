import { expect } from 'chai';
import { formatHazelcastHealth, formatHazelcastMembers } from '../../lib/fleet/formats/index.js';
import { parseHazelcastHealth, parseHazelcastMembers } from '../../lib/parsers/index.js';

// Samples from domain.md §4, character for character.
function sample(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** [VERBATIM] Hazelcast 3.x reference manual — GET /hazelcast/health. */
const HEALTH_3 = sample(
  'Hazelcast::NodeState=ACTIVE',
  'Hazelcast::ClusterState=ACTIVE',
  'Hazelcast::ClusterSafe=TRUE',
  'Hazelcast::MigrationQueueSize=0',
  'Hazelcast::ClusterSize=2',
);

/** [VERBATIM] kubedb docs — 4.x/5.x health, as `jq` pretty-printed it. */
const HEALTH_5_JQ = sample(
  '{',
  '  "nodeState": "ACTIVE",',
  '  "clusterState": "ACTIVE",',
  '  "clusterSafe": true,',
  '  "migrationQueueSize": 0,',
  '  "clusterSize": 3',
  '}',
);

/** [VERBATIM] Hazelcast docs — GET /hazelcast/rest/cluster (3.x); the page shows TABs as two blanks and drops the leading blank lines. */
const MEMBERS_3 = sample(
  'Members [5] {',
  '  Member [10.20.17.1:5701] this',
  '  Member [10.20.17.2:5701]',
  '  Member [10.20.17.4:5701]',
  '  Member [10.20.17.3:5701]',
  '  Member [10.20.17.5:5701]',
  '}',
  '',
  'ConnectionCount: 5',
  'AllConnectionCount: 20',
);

describe('parsers: Hazelcast REST', () => {
  it('reads the 3.x health text, and formats it back exactly', () => {
    const h = parseHazelcastHealth(HEALTH_3);
    expect(h).to.deep.equal({ nodeState: 'ACTIVE', clusterState: 'ACTIVE', clusterSafe: true, migrationQueueSize: 0, clusterSize: 2 });
    if (h === undefined) return;
    expect(formatHazelcastHealth(h, { version: 3 })).to.equal(HEALTH_3);
  });

  it('reads the 4.x/5.x JSON, and formats the compact body that `jq` pretty-printed into the sample', () => {
    const h = parseHazelcastHealth(HEALTH_5_JQ);
    expect(h).to.deep.equal({ nodeState: 'ACTIVE', clusterState: 'ACTIVE', clusterSafe: true, migrationQueueSize: 0, clusterSize: 3 });
    if (h === undefined) return;
    const body = formatHazelcastHealth(h, { version: 5 });
    expect(body).to.equal('{"nodeState":"ACTIVE","clusterState":"ACTIVE","clusterSafe":true,"migrationQueueSize":0,"clusterSize":3}');
    expect(`${JSON.stringify(JSON.parse(body), null, 2)}\n`).to.equal(HEALTH_5_JQ);
  });

  it('reads the 3.x member list, and formats it back with the TABs and leading blank lines ClusterServiceImpl prints (the docs page dropped them)', () => {
    const m = parseHazelcastMembers(MEMBERS_3);
    expect(m?.members).to.have.length(5);
    expect(m?.members[0]).to.deep.equal({ host: '10.20.17.1', port: 5701, self: true });
    expect(m?.members[3]).to.deep.equal({ host: '10.20.17.3', port: 5701, self: false });
    expect(m).to.deep.include({ connectionCount: 5, allConnectionCount: 20 });
    if (m === undefined) return;
    expect(formatHazelcastMembers(m)).to.equal(`\n\n${MEMBERS_3.replace(/^ {2}/gm, '\t')}`);
    expect(parseHazelcastMembers(formatHazelcastMembers(m))).to.deep.equal(m);
  });

  it('reads newer 3.x member lines (`Member [host]:port - uuid this`) and rejects other bodies', () => {
    const m = parseHazelcastMembers('\n\nMembers [1] {\n\tMember [10.0.0.1]:5701 - 0b4e7a3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c this\n}\n\nConnectionCount: 0\nAllConnectionCount: 1\n');
    expect(m?.members).to.deep.equal([{ host: '10.0.0.1', port: 5701, uuid: '0b4e7a3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c', self: true }]);
    if (m !== undefined) expect(parseHazelcastMembers(formatHazelcastMembers(m))).to.deep.equal(m);
    expect(parseHazelcastHealth('<html>503</html>')).to.equal(undefined);
    expect(parseHazelcastHealth('{"nodeState":"STARTING"}')).to.equal(undefined);
    expect(parseHazelcastMembers('')).to.equal(undefined);
  });
});
