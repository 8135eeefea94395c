/**
 * The stylesheet and the script of the HTML report (html-report.ts), inlined into it: the report
 * is one file that loads nothing. The script only adds to a page that reads complete without it:
 * the time axis, the details of a clicked bar, and the "critical path only" switch. It never
 * puts text into the page as markup (textContent only).
 */

export const REPORT_CSS = `
:root { --ok:#2e7d32; --fail:#c62828; --warn:#ef6c00; --skip:#9e9e9e; --wait:#b0bec5; --crit:#d50000; --ink:#1f2933; --dim:#616e7c; --line:#e4e7eb; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; padding: 24px 32px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f5f7fa; border: 1px solid var(--line); padding: 8px 10px; white-space: pre-wrap; word-break: break-word; margin: 6px 0; max-height: 320px; overflow: auto; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; vertical-align: middle; background: var(--skip); }
.pill.succeeded, .pill.up, .pill.down, .pill.already-up, .pill.already-down, .pill.passed { background: var(--ok); }
.pill.failed, .pill.timed-out, .pill.refused { background: var(--fail); }
.pill.cancelled, .pill.interrupted, .pill.degraded, .pill.running { background: var(--warn); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0; color: var(--dim); }
.meta dt { font-weight: 600; } .meta dd { margin: 0; color: var(--ink); }
.controls { margin: 8px 0; color: var(--dim); font-size: 13px; }
#timeline { position: relative; border: 1px solid var(--line); border-radius: 4px; }
.axis { position: relative; height: 22px; margin-left: 240px; border-bottom: 1px solid var(--line); }
.tick { position: absolute; top: 3px; font-size: 11px; color: var(--dim); transform: translateX(-50%); white-space: nowrap; }
.tick::after { content: ""; position: absolute; left: 50%; top: 16px; height: 4px; border-left: 1px solid var(--dim); }
.wave { background: #f5f7fa; color: var(--dim); font-size: 12px; font-weight: 600; padding: 2px 8px; border-top: 1px solid var(--line); }
.row { display: flex; align-items: center; min-height: 30px; border-top: 1px solid var(--line); }
.row.critical .label .name { color: var(--crit); }
.label { width: 240px; flex: none; padding: 3px 8px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.label .name { font-weight: 600; margin-right: 6px; } .label .sub { color: var(--dim); font-size: 12px; margin-left: 6px; }
.track { position: relative; flex: 1; height: 24px; margin-right: 12px; }
.seg { position: absolute; top: 3px; height: 18px; min-width: 2px; border-radius: 3px; background: #90caf9; overflow: hidden; font-size: 11px; line-height: 18px; padding: 0 3px; color: #0d2137; white-space: nowrap; cursor: pointer; }
.seg.wait { background: repeating-linear-gradient(45deg, #eceff1, #eceff1 4px, var(--wait) 4px, var(--wait) 8px); color: #37474f; }
.seg.kind-wait-boot, .seg.kind-wait-off { background: repeating-linear-gradient(45deg, #bbdefb, #bbdefb 4px, #90caf9 4px, #90caf9 8px); }
.seg.kind-check { background: #a5d6a7; } .seg.kind-power-on, .seg.kind-shutdown, .seg.kind-force-off { background: #ffe082; }
.seg.st-failed, .seg.st-timed-out { background: var(--fail); color: #fff; } .seg.st-cancelled, .seg.st-running { background: var(--warn); color: #fff; }
.seg.st-skipped, .seg.st-planned { background: #e0e0e0; color: #555; }
.seg.crit { outline: 2px solid var(--crit); outline-offset: 0; z-index: 1; }
#timeline.only-critical .row:not(.critical), #timeline.only-critical .wave { display: none; }
#detail { min-height: 2.5em; }
table { border-collapse: collapse; margin: 6px 0; } th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--dim); font-weight: 600; font-size: 12px; }
.failure { border-left: 4px solid var(--fail); padding: 2px 12px; margin: 10px 0; }
.warning { color: var(--warn); } ol.path li { margin: 2px 0; }
details { margin: 4px 0; } summary { cursor: pointer; }
.legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
`;

/** Runs once the page is parsed: time axis, clicked-bar details, the critical-path switch; then marks the body ready. */
export const REPORT_JS = `
(function () {
  'use strict';
  var timeline = document.getElementById('timeline');
  var total = Number(timeline.getAttribute('data-total-ms')) || 1;
  function fmt(ms) {
    if (ms < 1000) return Math.round(ms) + 'ms';
    if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + 's';
    var s = Math.round(ms / 1000);
    return Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's';
  }
  var axis = document.getElementById('axis');
  var raw = total / 8, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = mag;
  [1, 2, 5, 10].some(function (m) { step = m * mag; return step >= raw; });
  for (var t = 0; t <= total + 1e-9; t += step) {
    var tick = document.createElement('span');
    tick.className = 'tick';
    tick.style.left = (t / total * 100) + '%';
    tick.textContent = fmt(t);
    axis.appendChild(tick);
  }
  var detail = document.getElementById('detail');
  timeline.addEventListener('click', function (e) {
    var seg = e.target.closest ? e.target.closest('.seg') : null;
    if (!seg) return;
    detail.textContent = seg.getAttribute('data-detail') || '';
  });
  var only = document.getElementById('only-critical');
  only.addEventListener('change', function () { timeline.classList.toggle('only-critical', only.checked); });
  document.body.setAttribute('data-ready', 'yes');
  document.body.setAttribute('data-ticks', String(axis.children.length));
})();
`;
