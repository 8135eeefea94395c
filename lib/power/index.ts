export { parsePowerList, parsePowerState, powerCommands, reportsAlreadyOff, reportsAlreadyOn, targetLabel, type CommandOutput, type PowerCommands, type PowerState, type Target } from './driver.js';
