import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration and e2e suites start real servers and browsers; two cores, so keep it modest.
    maxWorkers: 2,
  },
})
