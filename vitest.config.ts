import { defineConfig } from 'vitest/config';
import SummaryLine from './test/helpers/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    reporters: ['default', new SummaryLine()],
  },
});
