export { activeNode, describeDrbd, describePcs, drbdView, judgeDrbd, judgePcs, judgePromotion, pcsView, type DrbdView, type PcsView, type Verdict } from './judge.js';
export type { DrbdExpectation, PairNode, PairProcedure, PairStep, PairStepKind } from './model.js';
export { drbdadm, drbdRead, pairSteps, type ProcedureOptions } from './steps.js';
export { judgeDrbdHealth, judgePcsHealth, type PairScope, type PairVerdict } from './health.js';
