export { HumanReporter, failureLines, type HumanOptions } from './human.js';
export { JsonReporter } from './json.js';
export { formatPlan } from './plan-text.js';
export { limitLines } from './plan-limit-text.js';
export { COLOURS, NO_COLOURS, stripAnsi, useColour, type Style } from './style.js';
export { checkDocument, formatCheckTable, type CheckDocument, type CheckRow } from './check-table.js';
