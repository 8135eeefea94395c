/**
 * `npm run fuzz`: seeded fuzzing of `orchestrate validate` with mutated and generated
 * topologies and playbooks (scripts/fuzz/cases.ts). Prints one line per failing case and a
 * summary line; exits 1 when any case failed.
 *
 *   npm run fuzz -- [--cases N] [--seed S] [--from I] [--only KIND] [--keep DIR]
 *
 * Defaults: 10,000 cases, seed 1. A failing case is made again with --seed S --from I --cases 1;
 * --keep DIR writes each failing case's files to DIR/case-I.
 */
import { parseArgs } from 'node:util';
import type { CaseKind } from './fuzz/cases.js';
import { failed, runFuzz, summaryLine } from './fuzz/run.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '0' },
    only: { type: 'string' },
    keep: { type: 'string' },
  },
});

const summary = await runFuzz({
  cases: Number(values.cases), seed: Number(values.seed), from: Number(values.from),
  ...(values.only === undefined ? {} : { only: values.only as CaseKind }),
  ...(values.keep === undefined ? {} : { keep: values.keep }),
  onResult: (r) => {
    if (r.problems.length > 0) console.log(`case ${r.index} (${r.kind}): ${r.problems.join(', ')}, exit ${String(r.exitCode)}, ${r.ms} ms (CPU ${r.cpuMs} ms)\n  ${r.stderr.slice(0, 6).join('\n  ')}`);
    else if ((r.index + 1) % 1000 === 0) console.log(`… ${r.index + 1} cases`);
  },
});
console.log(summaryLine(summary));
process.exitCode = failed(summary) ? 1 : 0;
