// Preloaded into a test server (`node --import`) to run its clock SNURRA_TEST_CLOCK_OFFSET_MS
// ahead of (or behind) the test's: a client that trusted its own clock would then be visibly off.
const offset = Number(process.env.SNURRA_TEST_CLOCK_OFFSET_MS || 0)
if (offset) {
  const realNow = Date.now
  Date.now = () => realNow() + offset
}
