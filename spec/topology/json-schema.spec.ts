import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { playbookJsonSchema, topologyJsonSchema } from '../../lib/topology/json-schema.js';
import { ROOT } from '../support/topologies.js';

describe('JSON Schemas for editors', () => {
  it('docs/topology.schema.json and docs/playbook.schema.json are up to date (npm run schemas)', () => {
    const read = (f: string): unknown => JSON.parse(readFileSync(path.join(ROOT, 'docs', f), 'utf8'));
    expect(read('topology.schema.json')).to.deep.equal(topologyJsonSchema());
    expect(read('playbook.schema.json')).to.deep.equal(playbookJsonSchema());
  });
});
