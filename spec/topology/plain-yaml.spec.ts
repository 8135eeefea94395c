import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { readPlainYaml } from '../../lib/topology/plain-yaml.js';
import { locateIn, positionsOf } from '../../lib/topology/positions.js';
import { jtelTopology } from '../support/jtel-topology.js';
import { ROOT } from '../support/topologies.js';
import { Prng } from '../../scripts/fuzz/prng.js';

type Path = (string | number)[];

/** Every path into `data`, with probes for a child that is not there. */
function pathsOf(data: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(data)) {
    data.forEach((v, i) => pathsOf(v, [...prefix, i], out));
    out.push([...prefix, data.length], [...prefix, 'missing']);
  } else if (typeof data === 'object' && data !== null) {
    for (const [k, v] of Object.entries(data)) pathsOf(v, [...prefix, k], out);
    out.push([...prefix, 'missing'], [...prefix, 0]);
  }
  return out;
}

/**
 * When the plain reader takes `text`, `yaml` must read it without an error or a warning, to the
 * same data, with every path at the same line and column. Returns whether the reader took it.
 */
function agreesWithYaml(text: string): boolean {
  const plain = readPlainYaml(text);
  if (!plain) return false;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
  expect(problems, text).to.deep.equal([]);
  expect(plain.data, text).to.deep.equal(doc.toJS());
  const tree = positionsOf(doc, { isAlias, isMap, isScalar, isSeq });
  for (const p of pathsOf(plain.data)) {
    for (const key of [false, true]) {
      expect(locateIn('f', plain.root, plain.lines, p, key), `${JSON.stringify(p)} key=${key} in\n${text}`).to.deep.equal(locateIn('f', tree, lines, p, key));
    }
  }
  return true;
}

const shipped = [
  ...readdirSync(path.join(ROOT, 'topologies')).map((f) => path.join(ROOT, 'topologies', f)),
  ...readdirSync(path.join(ROOT, 'playbooks')).filter((f) => f.endsWith('.yaml')).map((f) => path.join(ROOT, 'playbooks', f)),
  ...readdirSync(path.join(ROOT, 'playbooks', 'examples')).map((f) => path.join(ROOT, 'playbooks', 'examples', f)),
].filter((f) => f.endsWith('.yaml'));

/** Small documents in the style of the shipped files, with the constructs the reader takes. */
const SEEDS = [
  'version: 1\nname: x # the name\nroles:\n  web: { requires: [db, "lb"], after: [] }\n  db: {}\nhosts:\n  h1: { address: 10.0.0.1, roles: [web], power: { driver: virsh, vm: 101 } }\n',
  'up:\n  steps:\n    - name: start\n      run: systemctl start {{unit}} && echo "a:b" # done\n      timeout: 10m\n  checks:\n  - name: up\n    http: { url: "http://{{address}}:8080/", status: 200 }\n    attempts: 3\n',
  "vars:\n  a: 'it''s'\n  b: \"tab\\there \\u00e9 \\\\ \\\"q\\\"\"\n  c: -1\n  d: 0x1F\n  e: 1.50\n  f: .inf\n  g: ~\n  h: True\n  i: 1e3\n  j: 0o17\n  k: +5\n",
  'checks: [\n    { name: a, run: "x" },\n    { name: b,\n      tcp: { port: 80 } },\n  ]\nnext:\n  # comment\n  deep:\n    - 1\n    -\n      k: v\n    - [a, b, ]\n',
  'a:\n- 1\n- two: 2\n  three: [3]\nb: http://h:80/x#frag\nc: a#b\n"quoted key": 1\nd: [a b, c:d, "e, f"]\n',
];

/** The fuzzer's seeded generator (mulberry32): the same seed gives the same values on every run. */
function random(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

const PIECES = [' ', '  ', '\n', ':', ': ', '-', '- ', '#', ' #', '[', ']', '{', '}', ',', '"', "'", '\\', 'a', '1', '.', '~', '&a', '*a', '!t', '|', '>', '?', '%', '@', 'null', 'true', '0x', '__proto__', '\u00a0', '\u3000'];

function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const piece = PIECES[Math.floor(next() * PIECES.length)] ?? '';
    const cut = next() < 0.4 ? 1 + Math.floor(next() * 3) : 0;
    out = out.slice(0, at) + piece + out.slice(at + cut);
  }
  return out;
}

describe('topology: the plain YAML reader agrees with yaml', () => {
  it('reads every shipped topology and playbook itself, to the same data and positions', () => {
    for (const file of shipped) expect(agreesWithYaml(readFileSync(file, 'utf8')), file).to.equal(true);
  });

  it('reads a generated 60-host topology itself', () => {
    expect(agreesWithYaml(jtelTopology({ hosts: 60 }))).to.equal(true);
  });

  it('reads the constructs it takes to what yaml reads', () => {
    for (const seed of SEEDS) expect(agreesWithYaml(seed), seed).to.equal(true);
  });

  it('leaves to yaml what it does not take', () => {
    const others = [
      'a: 1\na: 2\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: |\n  text\n', 'a: >\n  text\n', '---\na: 1\n',
      'a: one\n  two\n', 'a: "one\n  two"\n', 'a:\n', 'a:\tb\n', 'a: 1\r\nb: 2\r\n', '- a\n- b\n', '{ a: 1 }\n',
      'a: [1,\n2]\n', 'a:\n  b: [1,\n  ]\n', 'a:\n- - b\n', '? a\n: b\n', '1: one\n', 'null: x\n', '__proto__: x\n', 'a: b: c\n',
      'a: { b }\n', 'a: [b: c]\n', 'a: "\\q"\n', '  a: 1\n', 'a: {"b":1}\n', '%YAML 1.2\n---\na: 1\n',
    ];
    others.push(`${'k'.repeat(1100)}: 1\n`, `"${'k'.repeat(1100)}": 1\n`);
    for (const text of others) expect(readPlainYaml(text), JSON.stringify(text)).to.equal(undefined);
  });

  it('never reads a mutated document differently from yaml (2,000 seeded mutations)', () => {
    const next = random(9);
    let taken = 0;
    for (let i = 0; i < 2000; i++) {
      const seed = SEEDS[i % SEEDS.length] ?? '';
      if (agreesWithYaml(mutate(seed, next))) taken++;
    }
    // The mutations must exercise the reader, not only its bail-outs.
    expect(taken).to.be.greaterThan(200);
  });
});
