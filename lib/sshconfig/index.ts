export { SshConfigCache, SYSTEM_CONFIG, type HostConfig } from './cache.js';
export { ConfigLoader, type ConfigReader, type ConfigFile } from './files.js';
export { parseConfig, splitArgs } from './parse.js';
export { resolveConfig, type LocalFacts, type ResolvedConfig } from './resolve.js';
export { settingsOf, parseJump, type JumpHop, type Sourced, type SshConfigSettings } from './settings.js';
export { expandEnv, expandTokens, type TokenContext } from './tokens.js';
export { execMatch, fsConfigReader, globFiles } from './reader.js';
