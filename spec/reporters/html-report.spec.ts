import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { htmlReport, runReport } from '../../lib/reporters/index.js';
import { dumpDom, screenshot } from '../support/chromium.js';
import { reportEvents, reportLinks } from '../support/report-run.js';
import { needTool } from '../support/tools.js';

/** Width, height and how many distinct colours a PNG screenshot has (8-bit RGB or RGBA, as Chromium writes). */
function pngFacts(png: Buffer): { width: number; height: number; colours: number } {
  expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const channels = png[25] === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  // Filtered rows change bytes, not which rows are flat: sampling pixel triples of unfiltered-looking data
  // would be wrong, so count distinct (filter, bytes) triples instead: a blank page has a handful.
  const seen = new Set<string>();
  const stride = width * channels + 1;
  for (let y = 0; y < height; y += 4) for (let x = 1; x < stride; x += channels * 7) seen.add(raw.toString('hex', y * stride + x, y * stride + x + 3));
  return { width, height, colours: seen.size };
}

describe('reporters/html-report: a run as one HTML page', function () {
  this.timeout(90_000);
  const html = htmlReport(runReport(reportEvents(), { links: reportLinks }));
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'html-report-'));
    file = path.join(dir, 'report.html');
    writeFileSync(file, html);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is self-contained: inline style and script, a policy that loads nothing and runs only that script', () => {
    // Attribute values emptied first: the hostile output in a bar's data-detail is text, not an attribute.
    const tags = html.replace(/"[^"]*"/g, '""');
    expect(tags).to.not.match(/<(link|img|iframe|object|embed)\b/).and.not.match(/<[^>]*\s(src|href)=/).and.not.match(/url\(/);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(script).digest('base64');
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    expect(policy).to.include(`script-src 'sha256-${hash}'`).and.include("default-src 'none'");
  });

  it('escapes what hosts printed, and what the topology names', () => {
    expect(html.match(/<script>/g)).to.have.length(1);
    expect(html).to.include('&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&lt;img src=x onerror=&quot;');
    expect(html).to.include('slow disk &lt;b&gt;&amp;&lt;/b&gt;').and.not.include('\u001b');
  });

  it('in headless Chromium: its script ran, the timeline has every host, the critical path is marked, the output stayed text', async function () {
    const chromium = needTool(this, 'chromium', 'chromium');
    const dom = await dumpDom(chromium, file);
    expect(dom).to.match(/<body data-outcome="failed" data-ready="yes" data-ticks="\d+">/);
    expect(Number(/data-ticks="(\d+)"/.exec(dom)?.[1])).to.be.within(5, 12);
    expect(dom).to.not.match(/<body[^>]*data-pwned/).and.not.include('<title>pwned').and.not.match(/<img\b/);
    const rows = [...dom.matchAll(/<div class="row( critical)?" data-host="([^"]+)" data-status="([^"]+)">/g)].map((m) => `${m[2]}:${m[3]}${m[1] ? ':critical' : ''}`);
    expect(rows).to.deep.equal(['lb:up:critical', 'db:up:critical', 'web1:failed:critical', 'web2:up']);
    expect(dom).to.include('waits for db (requires: up and checked)');
    expect(dom).to.match(/<pre class="output">&lt;script&gt;document\.title='pwned'&lt;\/script&gt;/);
    expect(dom).to.include('<span class="tick" style="left: 0%;">0ms</span>');
  });

  it('in headless Chromium: a screenshot of it is a real page, not a blank one', async function () {
    const chromium = needTool(this, 'chromium', 'chromium');
    const png = path.join(process.env.ORCHESTRATE_KEEP_SCREENSHOT ?? dir, 'report.png');
    await screenshot(chromium, file, png, { width: 1400, height: 1000 });
    const bytes = readFileSync(png);
    const facts = pngFacts(bytes);
    expect(facts).to.include({ width: 1400, height: 1000 });
    expect(bytes.length).to.be.greaterThan(20_000);
    expect(facts.colours).to.be.greaterThan(50);
  });
});
