import { expect } from 'chai';
import { Secrets, secretNames, secretPlaceholder } from '../../lib/util/secrets.js';

const secrets = new Secrets(new Map([['db_password', 'pa55word'], ['api_token', 'tok-pa55word-x'], ['blank', '']]));

describe('secrets in text', () => {
  it('names the secrets a text refers to', () => {
    expect(secretPlaceholder('db_password')).to.equal('{{secret:db_password}}');
    expect(secretNames("mysql -p'{{secret:db_password}}' {{secret:api_token}} {{secret:db_password}} {{db}}")).to.deep.equal(['db_password', 'api_token']);
    expect(secretNames('no secrets')).to.deep.equal([]);
  });

  it('fills placeholders with values as a command is sent; an unknown one stays as written', () => {
    expect(secrets.fill("mysql -p'{{secret:db_password}}' -e 'x' {{secret:nope}}")).to.equal("mysql -p'pa55word' -e 'x' {{secret:nope}}");
    expect(secrets.fillDeep({ url: 'https://h/{{secret:api_token}}', headers: { Authorization: 'Bearer {{secret:api_token}}' } }))
      .to.deep.equal({ url: 'https://h/tok-pa55word-x', headers: { Authorization: 'Bearer tok-pa55word-x' } });
  });

  it('masks every value (the longer first, so one holding another is masked whole) and every placeholder', () => {
    expect(secrets.mask('got tok-pa55word-x and pa55word, {{secret:db_password}}')).to.equal('got *** and ***, ***');
    expect(new Secrets().mask('{{secret:x}} stays a placeholder nowhere')).to.equal('*** stays a placeholder nowhere');
  });

  it('masks the strings of an event, but not its keys nor the fields that name things', () => {
    const event = { type: 'step-finished', host: 'h1', status: 'passed', command: "set '{{secret:db_password}}'", outputTail: 'pa55word', list: ['x pa55word'] };
    expect(new Secrets(new Map([['p', 'passed'], ['d', 'pa55word']])).maskDeep(event)).to.deep.equal({
      type: 'step-finished', host: 'h1', status: 'passed', command: "set '***'", outputTail: '***', list: ['x ***'],
    });
  });

  it('masks output that arrives in pieces, a value split across pieces included', () => {
    const stream = secrets.maskStream();
    const shown = ['pass: pa', '55w', 'ord\nok tok-pa55', 'word-x', ' p', ''].map((c) => stream.push(c)).join('') + stream.end();
    expect(shown).to.equal('pass: ***\nok *** p');
    const s2 = secrets.maskStream();
    expect(s2.push('plain words.')).to.equal('plain words.');
    expect(s2.push(' then pa5')).to.equal(' then ');
    expect(s2.end()).to.equal('pa5');
  });
});
