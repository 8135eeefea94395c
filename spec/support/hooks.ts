// Root hooks: a test run fails on unhandled rejections and on process warnings, so a forgotten
// promise or a leaked listener cannot pass silently.
const problems: string[] = [];
process.on('unhandledRejection', (reason) => {
  problems.push(`unhandled rejection: ${String(reason instanceof Error ? reason.stack : reason)}`);
});
process.on('warning', (w) => {
  problems.push(`process warning: ${w.name}: ${w.message}`);
});

export const mochaHooks = {
  afterEach(): void {
    if (problems.length > 0) throw new Error(problems.splice(0).join('\n'));
  },
};

/**
 * After the whole run nothing may still hold the process open (a leaked server, socket or child):
 * that fails the run. (.mocharc's `exit` then ends the process anyway, so a leak can never hang CI.)
 */
export const mochaGlobalTeardown = async (): Promise<void> => {
  await new Promise((r) => setTimeout(r, 100));
  const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout');
  if (left.length > 0) {
    process.stderr.write(`resources still open after the run: ${left.join(', ')}\n`);
    process.exitCode = 1;
  }
};
