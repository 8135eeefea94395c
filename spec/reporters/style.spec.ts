import { expect } from 'chai';
import { useColour } from '../../lib/reporters/index.js';

describe('useColour (colour conventions)', () => {
  const cases: [string, boolean | undefined, NodeJS.ProcessEnv, boolean][] = [
    ['a terminal', true, {}, true],
    ['a pipe', false, {}, false],
    ['NO_COLOR on a terminal', true, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR (ignored)', true, { NO_COLOR: '' }, true],
    ['NO_COLOR over FORCE_COLOR', true, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['FORCE_COLOR=0 on a terminal', true, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a terminal', true, { FORCE_COLOR: 'false' }, false],
    ['TERM=dumb on a terminal', true, { TERM: 'dumb' }, false],
    ['FORCE_COLOR=1 in a pipe', false, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=3 in a pipe', undefined, { FORCE_COLOR: '3' }, true],
    ['an empty FORCE_COLOR in a pipe', false, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=1 with TERM=dumb', false, { FORCE_COLOR: '1', TERM: 'dumb' }, true],
    ['TERM=xterm-256color on a terminal', true, { TERM: 'xterm-256color' }, true],
  ];
  for (const [what, tty, env, expected] of cases) {
    it(`${expected ? 'colours' : 'does not colour'} ${what}`, () => expect(useColour(tty, env)).to.equal(expected));
  }
});
