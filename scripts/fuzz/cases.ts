/**
 * The fuzzer's cases: what files one case writes and which path `validate` is given. Each case
 * comes from its own generator (Prng.forCase), so any case can be made again from its seed and
 * number alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LIMITS } from '../../lib/topology/index.js';
import { aliasTopology, deepTopology, hugeTopology, injectionTopology, prototypeTopology, structuredTopology } from './generated.js';
import { mutate } from './mutate.js';
import { Prng } from './prng.js';

export type CaseKind = 'mutated-topology' | 'mutated-playbook' | 'prototype-names' | 'injection' | 'aliases' | 'deep' | 'huge' | 'binary' | 'device' | 'structured';

/** A special file made in the case's folder. */
export interface SpecialFile {
  readonly path: string;
  readonly type: 'fifo' | 'dir' | 'link';
  /** The link's target. */
  readonly target?: string;
}

export interface FuzzCase {
  readonly index: number;
  readonly kind: CaseKind;
  /** Files to write, by path relative to the case folder (the topology is topologies/t.yaml). */
  readonly files: Readonly<Record<string, string | Buffer>>;
  readonly special: readonly SpecialFile[];
  /** What `validate` is given: relative to the case folder, or absolute (/dev/zero). */
  readonly topology: string;
  /** Run in a child process: a device or FIFO that were read would hang or fill the fuzzer itself. */
  readonly child: boolean;
  /** `validate` must refuse it (exit 2): a value that would inject into a built-in command. */
  readonly mustRefuse: boolean;
  /** The topology is then made this long (with zero bytes): a file far over the size limit, without building it in memory. */
  readonly grow?: number;
}

export const TOPOLOGY = 'topologies/t.yaml';

const WEIGHTS: readonly (readonly [CaseKind, number])[] = [
  ['mutated-topology', 34], ['mutated-playbook', 14], ['prototype-names', 9], ['injection', 8], ['aliases', 7],
  ['deep', 6], ['huge', 1.5], ['binary', 5], ['device', 1.5], ['structured', 14],
];

interface Corpus {
  readonly topologies: readonly string[];
  /** Playbooks by their path below playbooks/. */
  readonly playbooks: readonly (readonly [string, string])[];
}

let corpus: Corpus | undefined;

/** The shipped topologies and playbooks, read once. */
export function loadCorpus(root: string): Corpus {
  if (corpus) return corpus;
  const dir = path.join(root, 'topologies');
  const pbDir = path.join(root, 'playbooks');
  const playbooks = (readdirSync(pbDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort();
  corpus = {
    topologies: readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(path.join(dir, f), 'utf8')),
    playbooks: playbooks.map((f) => [f, readFileSync(path.join(pbDir, f), 'utf8')] as const),
  };
  return corpus;
}

const plainCase = (index: number, kind: CaseKind, text: string | Buffer, extra: Partial<FuzzCase> = {}): FuzzCase =>
  ({ index, kind, files: { [TOPOLOGY]: text }, special: [], topology: TOPOLOGY, child: false, mustRefuse: false, ...extra });

function mutatedPlaybooks(r: Prng, c: Corpus, index: number): FuzzCase {
  const files: Record<string, string> = { [TOPOLOGY]: r.chance(0.3) ? mutate(r, r.pick(c.topologies), 1) : r.pick(c.topologies) };
  for (let n = r.int(1, 4); n > 0; n--) {
    const [name, text] = r.pick(c.playbooks);
    files[`playbooks/${name}`] = mutate(r, text, r.int(1, 6));
  }
  return { index, kind: 'mutated-playbook', files, special: [], topology: TOPOLOGY, child: false, mustRefuse: false };
}

function binaryCase(r: Prng, c: Corpus, index: number): FuzzCase {
  const choice = r.int(0, 3);
  if (choice === 0) return plainCase(index, 'binary', r.bytes(r.int(0, 65_536)));
  if (choice === 1) return plainCase(index, 'binary', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(r.pick(c.topologies))]));
  const text = Buffer.from(r.pick(c.topologies));
  for (let n = r.int(1, 40); n > 0; n--) text[r.int(0, text.length - 1)] = choice === 2 ? r.int(0, 255) : r.pick([0, 0xc3, 0xff, 0x80, 0xfe]);
  return plainCase(index, 'binary', text);
}

/** Device files, FIFOs and folders where a topology or a playbook is read. */
function deviceCase(r: Prng, c: Corpus, index: number): FuzzCase {
  const base = { index, kind: 'device' as const, child: true, mustRefuse: false };
  const devices = ['/dev/zero', '/dev/urandom', '/dev/null', '/proc/self/status', '/proc/self/mem'];
  switch (r.int(0, 5)) {
    case 0: return { ...base, files: {}, special: [], topology: r.pick(devices) };
    case 1: return { ...base, files: {}, special: [{ path: TOPOLOGY, type: 'fifo' }], topology: TOPOLOGY };
    case 2: return { ...base, files: {}, special: [{ path: TOPOLOGY, type: 'dir' }], topology: TOPOLOGY };
    case 3: return { ...base, files: {}, special: [{ path: TOPOLOGY, type: 'link', target: r.pick(devices) }], topology: TOPOLOGY };
    default: {
      // A playbook the topology uses is a FIFO, a device or a folder.
      const type = r.pick(['fifo', 'dir', 'link'] as const);
      const name = r.pick(['storage.yaml', 'web.yaml', 'lb.yaml', 'db-master.yaml']);
      const special: SpecialFile = type === 'link' ? { path: `playbooks/${name}`, type, target: r.pick(devices) } : { path: `playbooks/${name}`, type };
      return { ...base, files: { [TOPOLOGY]: r.pick(c.topologies) }, special: [special], topology: TOPOLOGY };
    }
  }
}

/** Case `index` of the run with `seed`; `only` forces a kind. */
export function makeCase(root: string, seed: number, index: number, only?: CaseKind): FuzzCase {
  const r = Prng.forCase(seed, index);
  const c = loadCorpus(root);
  const kind = only ?? r.weighted(WEIGHTS);
  switch (kind) {
    case 'mutated-topology': return plainCase(index, kind, mutate(r, r.pick(c.topologies), r.int(1, 8)));
    case 'mutated-playbook': return mutatedPlaybooks(r, c, index);
    case 'prototype-names': return plainCase(index, kind, r.chance(0.8) ? prototypeTopology(r) : mutate(r, prototypeTopology(r), 2));
    case 'injection': return plainCase(index, kind, injectionTopology(r), { mustRefuse: true });
    case 'aliases': return plainCase(index, kind, aliasTopology(r));
    case 'deep': return plainCase(index, kind, deepTopology(r));
    case 'huge': return r.chance(0.15) ? plainCase(index, kind, hugeTopology(r), { grow: r.pick([LIMITS.fileBytes + 1, 20_000_000, 1e9]) }) : plainCase(index, kind, hugeTopology(r));
    case 'binary': return binaryCase(r, c, index);
    case 'device': return deviceCase(r, c, index);
    case 'structured': return plainCase(index, kind, structuredTopology(r));
  }
}
