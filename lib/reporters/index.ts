export { HumanReporter, failureLines, type HumanOptions } from './human.js';
export { JsonReporter } from './json.js';
export { formatPlan } from './plan-text.js';
export { COLOURS, NO_COLOURS, stripAnsi, useColour, type Style } from './style.js';
export { checkDocument, formatCheckTable, type CheckDocument, type CheckRow } from './check-table.js';
export { runReport, planLinks, type LinksOf, type ReportHost, type ReportOutcome, type ReportStep, type RunReport, type RunReportOptions } from './run-report.js';
export { junitXml } from './junit.js';
export { htmlReport } from './html-report.js';
export { formatGraph, GRAPH_FORMATS, type GraphFormat } from './graph-text.js';
