/** Colours for the reporters: the rules live in util/style.ts (the CLI's I/O needs them at start-up without loading the reporters). */
export * from '../util/style.js';
