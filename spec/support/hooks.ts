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
