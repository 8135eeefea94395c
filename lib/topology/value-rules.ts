/**
 * What may be placed into the commands orchestrate builds itself (systemctl, drbdadm, pcs,
 * virsh, qm, curl, mountpoint, bash's /dev/tcp …), not the `run:` commands users write. A name
 * must be in the character set its tool accepts; a path must be absolute, a URL http(s): a value
 * that is not is a located error when the topology is loaded, never part of a command. (The
 * commands quote every value as well: lib/util/shell.ts.) No rule allows white space, quotes, a
 * shell metacharacter in a name, a control character anywhere, or a leading `-` (an option). Pure.
 */

export type ValueKind =
  | 'systemd-unit' | 'drbd-resource' | 'pcs-id' | 'host' | 'port' | 'vm-name' | 'vmid' | 'uri'
  | 'init-script' | 'path' | 'url' | 'verb' | 'header-name' | 'header-value';

export interface ValueRule {
  /** What the value must be, for messages: `a systemd unit name`. */
  readonly what: string;
  /** What it may hold, for messages and docs/topology.md. */
  readonly allowed: string;
  readonly test: (value: string) => boolean;
}

const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]+)?$/;
const SERVICE_NAME = /^(?=.{1,15}$)(?=[^-]*[A-Za-z])[A-Za-z0-9](?:-?[A-Za-z0-9])*$/;

const pattern = (re: RegExp): ((v: string) => boolean) => (v) => re.test(v);

/** The rules, by kind of value. */
export const VALUE_RULES: Readonly<Record<ValueKind, ValueRule>> = {
  'systemd-unit': {
    what: 'a systemd unit name', allowed: 'letters, digits and : - _ . \\ @, at most 255, not starting with - (systemd.unit(5))',
    test: pattern(/^(?!-)[A-Za-z0-9:_.\\@-]{1,255}$/),
  },
  'drbd-resource': {
    what: 'a DRBD resource name', allowed: 'letters, digits and . _ + -, at most 128, starting with a letter, digit or _',
    test: pattern(/^[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}$/),
  },
  'pcs-id': {
    what: 'a Pacemaker resource id', allowed: 'a letter or _, then letters, digits and . _ - (an XML id, as pcs requires)',
    test: pattern(/^[A-Za-z_][A-Za-z0-9._-]{0,254}$/),
  },
  host: {
    what: 'a host name or IP address', allowed: 'a DNS name (letters, digits, - and _ in dot-separated labels) or an IPv4 or IPv6 address',
    test: (v) => HOSTNAME.test(v) || IPV6.test(v),
  },
  port: {
    what: 'a port', allowed: 'a number from 1 to 65535, or a service name from /etc/services (letters, digits and -)',
    test: (v) => (/^[0-9]{1,5}$/.test(v) ? Number(v) >= 1 && Number(v) <= 65535 : SERVICE_NAME.test(v)),
  },
  'vm-name': {
    what: 'a VM name', allowed: 'letters, digits and . _ + : @ -, at most 255, starting with a letter, digit or _',
    test: pattern(/^[A-Za-z0-9_][A-Za-z0-9._+:@-]{0,254}$/),
  },
  vmid: { what: 'a Proxmox VMID', allowed: 'digits', test: pattern(/^[0-9]{1,9}$/) },
  uri: {
    what: 'a libvirt URI', allowed: 'a scheme (qemu, qemu+ssh …), then : and no white space, quotes or control characters',
    test: pattern(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s'"`\\\u0000-\u001f\u007f]*$/),
  },
  'init-script': {
    what: 'an init script', allowed: 'a name in /etc/init.d (letters, digits and . _ + -) or an absolute path',
    test: (v) => /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(v) || isAbsolutePath(v),
  },
  path: { what: 'an absolute path', allowed: 'a path starting with /, without control characters', test: isAbsolutePath },
  url: {
    what: 'an http or https URL', allowed: 'http:// or https://, then no white space, quotes or control characters',
    test: pattern(/^https?:\/\/[^\s'"`\\\u0000-\u001f\u007f]+$/),
  },
  verb: { what: 'an init script verb', allowed: 'one word: a letter, then letters, digits, _ and -', test: pattern(/^[A-Za-z][A-Za-z0-9_-]*$/) },
  'header-name': { what: 'an HTTP header name', allowed: "letters, digits and ! # $ % & ' * + - . ^ _ ` | ~", test: pattern(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/) },
  'header-value': { what: 'an HTTP header value', allowed: 'no control characters (no line breaks)', test: (v) => NO_CONTROL.test(v) },
};

function isAbsolutePath(v: string): boolean {
  return v.startsWith('/') && v.length <= 4096 && NO_CONTROL.test(v);
}

/** Why `value` cannot be `kind`, or undefined when it can. `what`: where it was written, e.g. `tcp.port of check 'x'`. */
export function valueProblem(kind: ValueKind, value: string, what: string): string | undefined {
  const rule = VALUE_RULES[kind];
  if (rule.test(value)) return undefined;
  return `${what} must be ${rule.what} (${rule.allowed}): got ${JSON.stringify(value)}`;
}
