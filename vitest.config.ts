// Test runner settings: real servers and child processes need more than vitest's 5 s defaults on a busy 2-core machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The fault matrix's tally ends every run with one line: faults injected, ended correctly, duplicates, lost.
    reporters: ['default', './test/faults/reporter.ts'],
  },
});
