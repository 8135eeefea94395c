import { expect } from 'chai';
import { boundedDistance, didYouMean, suggest } from '../../lib/util/suggest.js';
import { problemsOf } from '../support/topologies.js';

/** Optimal string alignment distance, the whole table: what boundedDistance must agree with. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

describe('util: did-you-mean suggestions', () => {
  it('bounded distances agree with the whole table, up to the bound', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const word = (): string => Array.from({ length: rnd(9) }, () => 'abcx'[rnd(4)]).join('');
    for (let n = 0; n < 3000; n++) {
      const [a, b, k] = [word(), word(), rnd(4)];
      expect(boundedDistance(a, b, k), `${a} ${b} ${k}`).to.equal(Math.min(distance(a, b), k + 1));
    }
  });

  it('suggests the closest name, the first of equals, within a third of the word', () => {
    expect(suggest('stroe', ['storage', 'store', 'stone'])).to.equal('store');
    expect(suggest('adress', ['address', 'port'])).to.equal('address');
    expect(suggest('db', ['dbm'])).to.equal(undefined);
    expect(suggest('STORE', ['store'])).to.equal(undefined);
    expect(didYouMean('hots', ['hosts', 'roles'])).to.equal(" (did you mean 'hosts'?)");
  });

  it('stays fast with 20,000 hosts and 20,000 misspelt references', () => {
    const hosts = Array.from({ length: 20_000 }, (_, i) => `  h${i}: { address: 10.0.${(i >> 8) & 255}.${i & 255}, requires: [hx${i}] }`).join('\n');
    const t0 = performance.now();
    const problems = problemsOf(`roles: {}\nhosts:\n${hosts}\n`);
    expect(problems).to.have.length(20_000);
    expect(problems[0]).to.equal("t.yaml:3:39: unknown host or role 'hx0' in requires of host 'h0' (did you mean 'h0'?)");
    expect(performance.now() - t0).to.be.below(5000);
  });
});
