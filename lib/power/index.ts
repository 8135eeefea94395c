export { parsePowerState, powerCommands, reportsAlreadyOff, reportsAlreadyOn, type CommandOutput, type PowerCommands, type PowerState, type Target } from './driver.js';
