export { HumanReporter, failureLines, type HumanOptions } from './human.js';
export { JsonReporter } from './json.js';
export { formatPlan } from './plan-text.js';
export { COLOURS, NO_COLOURS, stripAnsi, useColour, type Style } from './style.js';
export { checkDocument, formatCheckTable, type CheckDocument, type CheckRow } from './check-table.js';
export { LiveReporter, liveViewFits, type LiveOptions, type LiveStream } from './live.js';
export { livePlanOf, type LivePlan } from './live-state.js';
export { REAL_TIMERS, type Timers } from './long-steps.js';
