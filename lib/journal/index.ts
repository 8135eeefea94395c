/**
 * The record of runs: each run's journal (its events, one JSON line each, after a header), what a
 * journal says about its run, and the locks that keep runs of one platform apart. Parsing and
 * analysis are pure (parse.ts, state.ts, select.ts); files.ts and lock.ts do the file I/O.
 */
export { hashDocument } from './hash.js';
export { describeInterruption, describeStep, interruptedLastRun, interruptionOf, lastRun, stoppedSteps, type Interruption, type LastRun, type StoppedStep } from './last-run.js';
export { journalFile, JournalWriter, listRuns, planFileOf, readHeader, readJournal, runsDir, thisMachine, type RunEntry } from './files.js';
export { acquireLock, fleetLockFile, lockRun, readLock, topologyLockFile, type HeldLock, type LockHolder, type LockNote, type LockOptions, type LockResult, type RunLockOptions, type RunLockResult } from './lock.js';
export { parseHeader, parseJournal } from './parse.js';
export { formatRunId, RUN_ID_PATTERN } from './run-id.js';
export { findRun, type RunMatch } from './select.js';
export { journalState, runOutcome } from './state.js';
export { JOURNAL_VERSION, type HostProgress, type Journal, type JournalAction, type JournalHeader, type JournalState, type Machine, type PairProgress, type RunOutcome, type StepDone, type StepInFlight } from './types.js';
