// A vitest reporter for the fault matrix: after the run, one line adding up what every case recorded in its tally.
// Use it after the default reporter, so its line is the last one: --reporter=default --reporter=./test/faults/reporter.ts
import type { Reporter, TestModule } from 'vitest/node';
import { closingLine, summarise, type FaultTally } from './tally.js';

export default class FaultTallyReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const records: FaultTally[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const record = test.meta().fault;
        if (record) records.push(record);
      }
    }
    process.stdout.write(`${closingLine(summarise(records))}\n`);
  }
}
