import { expect } from 'chai';
import { VALUE_RULES, type ValueKind } from '../../lib/topology/value-rules.js';
import { problemsOf } from '../support/topologies.js';

/** A value that would run `touch` if a built-in command took it unquoted. */
const BAD = 'x; touch /tmp/orchestrate-pwned';

/** A topology with one role `app` on hosts a1 (whose variable `bad` is BAD) and a2. */
function topology(o: { role?: string; host?: string; top?: string }): string {
  return [
    'hypervisors: { kvm1: { address: 10.0.0.9 } }', //                                    1
    'roles:', //                                                                          2
    `  app: ${o.role ?? '{}'}`, //                                                        3
    'hosts:', //                                                                          4
    `  a1: { address: 10.0.0.1, roles: [app], vars: { bad: ${JSON.stringify(BAD)} }${o.host === undefined ? '' : `, ${o.host}`} }`, // 5
    '  a2: { address: 10.0.0.2, roles: [app], vars: { bad: good } }', //                    6
    o.top ?? '',
    '',
  ].join('\n');
}

const check = (probe: string): string => `{ up: { checks: [{ name: c, ${probe} }] } }`;
const service = (body: string): string => `{ up: { steps: [{ name: s, service: { ${body} } }] } }`;
const q = JSON.stringify(BAD);

describe('topology: values that go into built-in commands are checked where they are written', () => {
  /** Each way a value reached a command orchestrate builds, written literally. */
  const literal: readonly (readonly [vector: string, topology: string, problem: string])[] = [
    ['tcp check host (bash /dev/tcp)', topology({ role: check(`tcp: { host: ${q}, port: 22 }`) }), `t.yaml:3:49: tcp.host must be a host name or IP address (a DNS name (letters, digits, - and _ in dot-separated labels) or an IPv4 or IPv6 address): got ${q}`],
    ['tcp check port (bash /dev/tcp)', topology({ role: check(`tcp: { port: ${q} }`) }), `t.yaml:3:49: tcp.port must be a port (a number from 1 to 65535, or a service name from /etc/services (letters, digits and -)): got ${q}`],
    ['systemd check unit (systemctl is-active)', topology({ role: check(`systemd: ${q}`) }), `t.yaml:3:45: systemd must be a systemd unit name (letters, digits and : - _ . \\ @, at most 255, not starting with - (systemd.unit(5))): got ${q}`],
    ['mount check path (mountpoint)', topology({ role: check(`mount: { path: ${q} }`) }), `t.yaml:3:51: mount.path must be an absolute path (a path starting with /, without control characters): got ${q}`],
    ['drbd check resource (drbdadm status)', topology({ role: check(`drbd: { resource: ${q}, version: '9' }`) }), `t.yaml:3:54: drbd.resource must be a DRBD resource name (letters, digits and . _ + -, at most 128, starting with a letter, digit or _): got ${q}`],
    ['pcs check resource', topology({ role: check(`pcs: { resources: [${q}] }`) }), `t.yaml:3:55: pcs.resources[0] must be a Pacemaker resource id (a letter or _, then letters, digits and . _ - (an XML id, as pcs requires)): got ${q}`],
    ['http check url (curl)', topology({ role: check(`http: { url: ${q} }`) }), `t.yaml:3:49: http.url must be an http or https URL (http:// or https://, then no white space, quotes or control characters): got ${q}`],
    ['http check header (curl -H)', topology({ role: check(`http: { url: 'http://h/', headers: { 'X-A': "a\\r\\nX-B: b" } }`) }), 't.yaml:3:80: http.headers.X-A must be an HTTP header value (no control characters (no line breaks)): got "a\\r\\nX-B: b"'],
    ['hazelcast check url (curl)', topology({ role: check(`hazelcast: { url: ${q} }`) }), `t.yaml:3:54: hazelcast.url must be an http or https URL (http:// or https://, then no white space, quotes or control characters): got ${q}`],
    ['systemd service unit (systemctl)', topology({ role: service(`systemd: ${q}, action: start`) }), `t.yaml:3:55: systemd must be a systemd unit name (letters, digits and : - _ . \\ @, at most 255, not starting with - (systemd.unit(5))): got ${q}`],
    ['init script (/etc/init.d/NAME)', topology({ role: service(`initd: ${q}, action: start`) }), `t.yaml:3:53: initd must be an init script (a name in /etc/init.d (letters, digits and . _ + -) or an absolute path): got ${q}`],
    ['init script graceful verb', topology({ role: service(`initd: srs, action: stop, graceful: ${q}`) }), `t.yaml:3:82: graceful must be an init script verb (one word: a letter, then letters, digits, _ and -): got ${q}`],
    ['init script kill_pidfile (pkill -F)', topology({ role: service(`initd: srs, action: stop, kill_pidfile: ${q}`) }), `t.yaml:3:86: kill_pidfile must be an absolute path (a path starting with /, without control characters): got ${q}`],
    ['daemontools directory (svc, svstat, down file)', topology({ role: service(`daemontools: ${q}, action: start`) }), `t.yaml:3:59: daemontools must be an absolute path (a path starting with /, without control characters): got ${q}`],
    ['pidfile (pkill -F, pgrep -F)', topology({ role: service(`pidfile: ${q}, action: stop`) }), `t.yaml:3:55: pidfile must be an absolute path (a path starting with /, without control characters): got ${q}`],
    ['pair DRBD resource (drbdadm up|down|primary|secondary)', topology({ top: `pairs: { p: { hosts: [a1, a2], drbd: { resource: ${q} } } }` }), `t.yaml:7:50: pairs.p.drbd.resource must be a DRBD resource name (letters, digits and . _ + -, at most 128, starting with a letter, digit or _): got ${q}`],
    ['pair Pacemaker resource', topology({ top: `pairs: { p: { hosts: [a1, a2], pacemaker: { resources: [${q}] } } }` }), `t.yaml:7:57: pairs.p.pacemaker.resources[0] must be a Pacemaker resource id (a letter or _, then letters, digits and . _ - (an XML id, as pcs requires)): got ${q}`],
    ['virsh VM name (virsh start|shutdown|destroy|domstate)', topology({ host: `power: { driver: virsh, hypervisor: kvm1, vm: ${q} }` }), `t.yaml:5:138: hosts.a1.power.vm must be a VM name (letters, digits and . _ + : @ -, at most 255, starting with a letter, digit or _): got ${q}`],
    ['virsh URI (virsh -c)', topology({ host: `power: { driver: virsh, hypervisor: kvm1, uri: ${q} }` }), `t.yaml:5:139: hosts.a1.power.uri must be a libvirt URI (a scheme (qemu, qemu+ssh …), then : and no white space, quotes or control characters): got ${q}`],
    ['command driver VM ({{vm}} in on, off, kill, status)', topology({ host: `power: { driver: command, on: 'on {{vm}}', vm: ${q} }` }), `t.yaml:5:139: hosts.a1.power.vm must be a VM name (letters, digits and . _ + : @ -, at most 255, starting with a letter, digit or _): got ${q}`],
    ['qm VMID (qm start|shutdown|stop|status)', topology({ host: `power: { driver: qm, hypervisor: kvm1, vm: ${q} }` }), `t.yaml:5:135: host 'a1' uses power driver 'qm', which needs power.vm: the numeric VMID (got '${BAD}')`],
    ['host address ({{address}}, SSH)', topology({}).replace('address: 10.0.0.2', `address: ${q}`), `t.yaml:6:18: hosts.a2.address must be a host name or IP address (a DNS name (letters, digits, - and _ in dot-separated labels) or an IPv4 or IPv6 address): got ${q}`],
  ];

  for (const [vector, text, problem] of literal) {
    it(`refuses it written literally: ${vector}`, () => {
      expect(problemsOf(text)).to.deep.equal([problem]);
    });
  }

  /** Each templated value, given `{{bad}}`: checked with the variables of every host that runs it. */
  const templated: readonly (readonly [vector: string, role: string, problem: string])[] = [
    ['tcp check host', check("tcp: { host: '{{bad}}', port: 22 }"), `t.yaml:3:41: tcp.host of 'c' of role 'app' on host 'a1' ("{{bad}}") must be a host name or IP address (a DNS name (letters, digits, - and _ in dot-separated labels) or an IPv4 or IPv6 address): got ${q}`],
    ['tcp check port', check("tcp: { port: '{{bad}}' }"), `t.yaml:3:41: tcp.port of 'c' of role 'app' on host 'a1' ("{{bad}}") must be a port (a number from 1 to 65535, or a service name from /etc/services (letters, digits and -)): got ${q}`],
    ['systemd check unit', check("systemd: '{{bad}}'"), `t.yaml:3:45: systemd of 'c' of role 'app' on host 'a1' ("{{bad}}") must be a systemd unit name (letters, digits and : - _ . \\ @, at most 255, not starting with - (systemd.unit(5))): got ${q}`],
    ['mount check path', check("mount: { path: '{{bad}}' }"), `t.yaml:3:43: mount.path of 'c' of role 'app' on host 'a1' ("{{bad}}") must be an absolute path (a path starting with /, without control characters): got ${q}`],
    ['http check url', check("http: { url: 'http://{{bad}}/' }"), `t.yaml:3:42: http.url of 'c' of role 'app' on host 'a1' ("http://{{bad}}/") must be an http or https URL (http:// or https://, then no white space, quotes or control characters): got "http://x; touch /tmp/orchestrate-pwned/"`],
    ['systemd service unit', service("systemd: '{{bad}}', action: start"), `t.yaml:3:44: systemd of 's' of role 'app' on host 'a1' ("{{bad}}") must be a systemd unit name (letters, digits and : - _ . \\ @, at most 255, not starting with - (systemd.unit(5))): got ${q}`],
    ['health check of a service', service("systemd: web, action: start, health: { tcp: { port: '{{bad}}' } }"), `t.yaml:3:44: health.tcp.port of 's' of role 'app' on host 'a1' ("{{bad}}") must be a port (a number from 1 to 65535, or a service name from /etc/services (letters, digits and -)): got ${q}`],
  ];

  for (const [vector, role, problem] of templated) {
    it(`refuses it from a variable, on the host whose variable it is: ${vector}`, () => {
      expect(problemsOf(topology({ role }))).to.deep.equal([problem]);
    });
  }

  it('takes what the shipped topologies and playbooks write, and what the tools take', () => {
    const ok: readonly (readonly [ValueKind, string])[] = [
      ['systemd-unit', 'mariadb'], ['systemd-unit', 'getty@tty1.service'], ['systemd-unit', 'dev-disk-by\\x2duuid.device'],
      ['drbd-resource', 'jtelshared'], ['drbd-resource', 'r0'], ['pcs-id', 'ClusterIP'], ['pcs-id', 'p_fs-shared.1'],
      ['host', '10.0.0.1'], ['host', 'db-1.example.com'], ['host', '::1'], ['host', 'fe80::1%eth0'], ['port', '22'], ['port', 'https'], ['port', '65535'],
      ['vm-name', 'acd-dbm'], ['vmid', '101'], ['uri', 'qemu+ssh://root@kvm1/system'], ['init-script', 'srs'], ['init-script', '/usr/local/srs/etc/init.d/srs'],
      ['path', '/home/jtel/shared'], ['url', 'http://127.0.0.1:5701/hazelcast/health'], ['verb', 'grace'], ['header-name', 'X-Token'], ['header-value', 'Bearer a b'],
    ];
    for (const [kind, value] of ok) expect(VALUE_RULES[kind].test(value), `${kind} ${value}`).to.equal(true);
    const refused: readonly (readonly [ValueKind, string])[] = [
      ['systemd-unit', '-.mount'], ['systemd-unit', '--now'], ['host', '-oProxyCommand=x'], ['port', '0'], ['port', '65536'], ['port', '-1'],
      ['vm-name', '--all'], ['path', 'relative/dir'], ['url', 'file:///etc/passwd'], ['url', 'http://a b'], ['pcs-id', '1abc'], ['uri', '-c'],
    ];
    for (const [kind, value] of refused) expect(VALUE_RULES[kind].test(value), `${kind} ${value}`).to.equal(false);
  });
});
