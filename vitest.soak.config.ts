import { defineConfig } from 'vitest/config'

// `npm run test:soak`: the long runs of two seeded tests that `npm test` runs short (same files,
// same code): 100,000 hostile frames, and ten kill -9 rounds per storage. The environment sets
// the lengths unless the caller already did (FUZZ_FRAMES, DURABILITY_KILLS); FUZZ_SEED and
// DURABILITY_SEED replay a run as in `npm test`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/integration/fuzz.test.ts', 'test/integration/durability-kill.test.ts'],
    env: {
      FUZZ_FRAMES: process.env.FUZZ_FRAMES || '100000',
      DURABILITY_KILLS: process.env.DURABILITY_KILLS || '10',
    },
    hookTimeout: 120_000,
    // One file at a time: each drives a server process as hard as it can, on two cores.
    fileParallelism: false,
  },
})
