/** Check kinds: the command each runs and how its output is judged. Pure. */
export { curlCommand, describeProbe, probeCommand, runsNatively } from './command.js';
export { curlAnswer, judgeHazelcast, judgeHttp, judgeOutput, type HttpAnswer, type JudgeEnv, type Output, type Verdict } from './judge.js';
