export { HumanReporter, failureLines, type HumanOptions } from './human.js';
export { JsonReporter } from './json.js';
export { formatPlan } from './plan-text.js';
export { limitLines } from './plan-limit-text.js';
export { COLOURS, NO_COLOURS, stripAnsi, useColour, type Style } from './style.js';
export { checkDocument, formatCheckTable, type CheckDocument, type CheckRow } from './check-table.js';
export { runReport, planLinks, type LinksOf, type ReportHost, type ReportOutcome, type ReportStep, type RunReport, type RunReportOptions } from './run-report.js';
export { junitXml } from './junit.js';
export { htmlReport } from './html-report.js';
export { formatGraph, type GraphFormat } from './graph-text.js';
// live.ts itself (log-update, about 0.3 s to load) is imported only when a run draws the view: run-session.ts.
export type { LiveOptions, LiveReporter, LiveStream } from './live.js';
export { liveViewFits } from './live-frame.js';
export { livePlanOf, type LivePlan } from './live-state.js';
export { REAL_TIMERS, type Timers } from './long-steps.js';
