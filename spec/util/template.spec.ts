import { expect } from 'chai';
import { placeholders, renderTemplate } from '../../lib/util/template.js';

/** What renderTemplate did before templates were compiled: one regular-expression replace. */
const reference = (text: string, vars: Readonly<Record<string, string>>): string =>
  text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g, (whole, key: string) => vars[key] ?? whole);

describe('util: templates', () => {
  const vars = { host: 'acd-jb1', address: '10.0.0.1', 'a.b': 'dotted', empty: '' };
  const texts = [
    '', 'no placeholders', '{{host}}', 'ssh {{ host }} at {{address}}:{{port}}', '{{host}}{{host}}', '{{ a.b }}-{{empty}}-',
    '{{', '}}', '{{}}', '{{ 1x }}', '{ {host} }', '{{{host}}}', '{{host', 'x {{unknown}} y', '{{toString}}',
  ];

  it('renders every placeholder as the regular-expression replace did, unknown names left as written', () => {
    for (const text of texts) {
      expect(renderTemplate(text, vars), text).to.equal(reference(text, vars));
      // The second time comes from the compiled template.
      expect(renderTemplate(text, vars), text).to.equal(reference(text, vars));
      expect(renderTemplate(text, {}), text).to.equal(reference(text, {}));
    }
  });

  it('lists placeholder names once, in order of first use', () => {
    expect(placeholders('{{b}} {{ a }} {{b}} {{c.d}}')).to.deep.equal(['b', 'a', 'c.d']);
  });
});
