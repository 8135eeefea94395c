import { expect } from 'chai';
import { placeholders, renderTemplate, renderTemplateWith } from '../../lib/util/template.js';

/** What renderTemplate did before templates were compiled: one regular-expression replace (of own keys only). */
const reference = (text: string, vars: Readonly<Record<string, string>>): string =>
  text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g, (whole, key: string) => (Object.hasOwn(vars, key) ? vars[key] : undefined) ?? whole);

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

  it('takes only the variables given: {{constructor}} and {{toString}} are names like any other', () => {
    expect(renderTemplate('{{constructor}} {{toString}} {{__proto__}}', vars)).to.equal('{{constructor}} {{toString}} {{__proto__}}');
    expect(renderTemplate('{{constructor}}/{{toString}}', { constructor: 'c', toString: 't' })).to.equal('c/t');
    expect(renderTemplateWith('{{host}} {{valueOf}}', (name) => (name === 'host' ? 'h1' : undefined))).to.equal('h1 {{valueOf}}');
  });

  it('lists placeholder names once, in order of first use', () => {
    expect(placeholders('{{b}} {{ a }} {{b}} {{c.d}}')).to.deep.equal(['b', 'a', 'c.d']);
  });
});
