import { expect } from 'chai';
import { LIMITS } from '../../lib/topology/index.js';
import { buildPlan } from '../../lib/plan/index.js';
import { loadValid, problemsOf } from '../support/topologies.js';

const TAIL = 'roles: { app: {} }\nhosts:\n  a1: { address: 10.0.0.1, roles: [app] }\n';

/** `depth` lists inside each other, as the value of `vars.deep` (the top-level mapping and `vars` are 2 more). */
const flowLists = (depth: number): string => `vars:\n  deep: ${'['.repeat(depth)}x${']'.repeat(depth)}\n${TAIL}`;
const blockMaps = (depth: number): string => `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n${TAIL}`;

describe('topology: the limits of what is read (nesting, anchors and aliases, size)', () => {
  it('takes 64 mappings and lists inside each other and refuses 65, in the plain reader and in yaml', () => {
    expect(problemsOf(flowLists(62))).to.deep.equal(['t.yaml:2:9: vars.deep must be a string or an integer (got a list)']);
    expect(problemsOf(flowLists(63))).to.deep.equal(['t.yaml:2:71: nested too deep: more than 64 mappings and lists inside each other']);
    // Block mappings: the top-level one is the first.
    expect(problemsOf(blockMaps(64))).to.deep.equal(["t.yaml:1:1: unknown key 'k0' at the top level"]);
    expect(problemsOf(blockMaps(65))).to.deep.equal(['t.yaml:65:65: nested too deep: more than 64 mappings and lists inside each other']);
    // Anything the plain reader does not take goes to yaml, which refuses the same.
    expect(problemsOf(`# \t\n${flowLists(63)}`)).to.deep.equal(['t.yaml:3:71: nested too deep: more than 64 mappings and lists inside each other']);
  });

  it('refuses 3,000 and 100,000 nested lists at once, without overflowing the stack', () => {
    for (const depth of [3000, 100_000]) {
      const t0 = performance.now();
      expect(problemsOf(flowLists(depth))).to.deep.equal(['t.yaml:2:75: nested too deep: more than 64 mappings and lists inside each other']);
      expect(performance.now() - t0).to.be.below(1000);
    }
    expect(problemsOf(`x:\n  ${'- '.repeat(3000)}x\n${TAIL}`)).to.deep.equal(['t.yaml:2:136: nested too deep: more than 64 mappings and lists inside each other']);
  });

  it('takes aliases a topology may use', () => {
    expect(problemsOf(`hypervisors: { kvm1: &hv { address: 10.0.0.2 }, kvm2: *hv }\n${TAIL}`)).to.deep.equal([]);
  });

  it('refuses an alias without an anchor before it, and an alias inside what it repeats', () => {
    expect(problemsOf(`${TAIL}  a2: *nowhere\n`)).to.deep.equal(["t.yaml:4:7: alias '*nowhere' has no anchor '&nowhere' before it"]);
    expect(problemsOf(`vars: { a: *later, b: &later x }\n${TAIL}`)).to.deep.equal(["t.yaml:1:12: alias '*later' has no anchor '&later' before it"]);
    expect(problemsOf('roles: &r { app: { requires: *r } }\nhosts: {}\n')).to.deep.equal(["t.yaml:1:30: alias '*r' is inside the value it repeats: it would repeat itself forever"]);
  });

  it('refuses an alias bomb before expanding it', () => {
    const lines = ['x-bomb:', '  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    const t0 = performance.now();
    expect(problemsOf(`${lines.join('\n')}\n${TAIL}`)).to.deep.equal(['t.yaml:7:12: aliases repeat more than 100,000 values in all (an alias bomb?)']);
    expect(performance.now() - t0).to.be.below(1000);
  });

  it(`refuses more than ${LIMITS.aliases} aliases or ${LIMITS.anchors} anchors`, () => {
    const aliases = (n: number): string => `vars: { v: &a x }\nx-list: [${Array(n).fill('*a').join(', ')}]\n${TAIL}`;
    // x- keys are extension keys (allowed): at the limit, nothing is wrong.
    expect(problemsOf(aliases(1000))).to.deep.equal([]);
    expect(problemsOf(aliases(1001))).to.deep.equal(['t.yaml:2:4010: more than 1000 aliases (*name) in one file']);
    const anchors = (n: number): string => `x-list: [${Array.from({ length: n }, (_, i) => `&a${i} x`).join(', ')}]\n${TAIL}`;
    expect(problemsOf(anchors(1000))).to.deep.equal([]);
    expect(problemsOf(anchors(1001))).to.deep.equal(['t.yaml:1:8907: more than 1000 anchors (&name) in one file']);
  });

  it('refuses the key __proto__ wherever it is (it was silently lost)', () => {
    expect(problemsOf(`${TAIL}  __proto__: { address: 10.0.0.2 }\n`)).to.deep.equal(["t.yaml:4:3: key '__proto__' is not allowed (it names JavaScript's object prototype, and would be lost)"]);
    expect(problemsOf(`vars: { "__proto__": x }\n${TAIL}`)).to.deep.equal(["t.yaml:1:9: key '__proto__' is not allowed (it names JavaScript's object prototype, and would be lost)"]);
  });

  it(`gives the full YAML parser at most ${LIMITS.fullParserBytes / 1024} KiB, and says where the file stopped being plain YAML`, () => {
    const vars = (n: number): string => Array.from({ length: n }, (_, i) => `  v${i}: value ${i}`).join('\n');
    const big = `${TAIL}vars:\n${vars(30_000)}\nx-anchored: &a 1\n`;
    expect(problemsOf(big)).to.deep.equal([
      `t.yaml:30005:13: not plain YAML from here on (anchors, tags, block scalars, tabs, duplicate keys or a syntax error), so the file needs the full YAML parser, which takes at most 512 KiB (524,288 bytes); the file has ${Buffer.byteLength(big).toLocaleString('en-US')} bytes`,
    ]);
    // The same file in plain YAML is read.
    expect(problemsOf(`${TAIL}vars:\n${vars(30_000)}\n`)).to.deep.equal([]);
  });

  it('lists the first 1,000 problems of shape, then how many more there are, and checks no further', () => {
    const hosts = Array.from({ length: 1200 }, (_, i) => `  h${i}: { address: 10.0.${i >> 8}.${i & 255}, port: 70000 }`).join('\n');
    const problems = problemsOf(`roles: {}\nhosts:\n${hosts}\n`);
    expect(problems).to.have.length(1001);
    expect(problems[0]).to.equal('t.yaml:3:34: hosts.h0.port must be at most 65535 (got number 70000)');
    expect(problems[1000]).to.equal('t.yaml:1003:39: 200 more problems of shape from here on, not listed (the first 1,000 are)');
  });
});

describe('topology: names that Object.prototype has', () => {
  it('are names like any other: hosts, roles, pairs, variables called constructor, toString, valueOf, hasOwnProperty', () => {
    const text = [
      'vars: { constructor: c1 }',
      'roles:',
      "  constructor: { up: { steps: [{ name: s, run: 'echo {{constructor}} {{toString}}' }] } }",
      '  toString: { requires: [constructor] }',
      'hosts:',
      '  valueOf: { address: 10.0.0.1, roles: [constructor], vars: { toString: t1 } }',
      '  hasOwnProperty: { address: 10.0.0.2, roles: [toString], requires: [valueOf] }',
      'pairs:',
      '  constructor: { hosts: [valueOf, hasOwnProperty], drbd: { resource: r0 } }',
    ].join('\n');
    expect(problemsOf(text)).to.deep.equal([]);
  });

  it('find what is written under them, in suggestions and plans alike', () => {
    expect(problemsOf('roles: {}\nhosts:\n  constructor: { address: 10.0.0.1, adress: x }\n')).to.deep.equal([
      "t.yaml:3:37: unknown key 'adress' in hosts.constructor (did you mean 'address'?)",
    ]);
    // A pair called constructor has no recorded primary (it printed "primary: undefined (undefined)").
    const text = 'roles: { app: {} }\nhosts:\n  h1: { address: 10.0.0.1, roles: [app] }\n  h2: { address: 10.0.0.2, roles: [app] }\npairs:\n  constructor: { hosts: [h1, h2], drbd: { resource: r0 } }\n';
    const { topology, graph } = loadValid('p.yaml', { 'p.yaml': text });
    expect(buildPlan(topology, graph, 'up', { primaries: {} }).pairs[0]?.primary).to.equal(undefined);
  });

  it('that are not defined are reported, not found on Object.prototype', () => {
    const text = ["roles: { app: { up: { steps: [{ name: s, run: 'echo {{valueOf}}' }] }, requires: [toString] } }", 'hosts:', '  a1: { address: 10.0.0.1, roles: [app, constructor], after: [hasOwnProperty], jump: constructor }'].join('\n');
    expect(problemsOf(text)).to.deep.equal([
      "t.yaml:1:47: unknown variable 'valueOf' in 's' of role 'app' on host 'a1' (define it under vars)",
      "t.yaml:1:83: unknown role 'toString' in requires of role 'app'",
      "t.yaml:3:41: unknown role 'constructor' in roles of host 'a1'",
      "t.yaml:3:63: unknown host or role 'hasOwnProperty' in after of host 'a1'",
      "t.yaml:3:86: unknown bastion 'constructor' in jump",
    ]);
  });
});
