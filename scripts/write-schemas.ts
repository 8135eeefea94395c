// Regenerates docs/topology.schema.json and docs/playbook.schema.json (npm run schemas).
import { writeFileSync } from 'node:fs';
import { playbookJsonSchema, topologyJsonSchema } from '../lib/topology/json-schema.js';

writeFileSync('docs/topology.schema.json', `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`);
writeFileSync('docs/playbook.schema.json', `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`);
