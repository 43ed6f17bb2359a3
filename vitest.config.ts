import { configDefaults, defineConfig } from 'vitest/config'

// Stops and starts the machine's PostgreSQL and Redis: run alone, after everything else, so no
// other file that uses those services sees the outage.
const SERVICE_FAULTS = 'test/integration/scaleout.test.ts'
const UNIT = 'test/unit/**/*.test.ts'

export default defineConfig({
  test: {
    environment: 'node',
    // Generous: these are not timing tests, and a shared CI machine can be three times slower than a quiet one.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration and e2e suites start real servers and browsers; two cores, so keep it modest.
    maxWorkers: 2,
    projects: [
      {
        // Pure code, no servers, and every file cleans up its fake timers and stubs: one module
        // cache for all of them halves their time (each fresh worker loads Yjs, tldraw's schema…).
        extends: true,
        test: { name: 'unit', include: [UNIT], isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, UNIT, SERVICE_FAULTS], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'service-faults', include: [SERVICE_FAULTS], sequence: { groupOrder: 1 } },
      },
    ],
  },
})
