// Root hooks: a test run fails on unhandled rejections and on process warnings,
// so a forgotten promise or a leaked listener cannot pass silently.
const problems: string[] = [];
process.on('unhandledRejection', (reason) => {
  problems.push(`unhandled rejection: ${String(reason instanceof Error ? reason.stack : reason)}`);
});
process.on('warning', (w) => {
  problems.push(`process warning: ${w.name}: ${w.message}`);
});

export const mochaHooks = {
  afterEach(this: Mocha.Context) {
    if (problems.length > 0) {
      const found = problems.splice(0);
      this.test?.error(new Error(found.join('\n')));
    }
  },
};
