// Preloaded into a test server (`node --import`): each SIGUSR2 moves its clock (Date.now, which
// y-protocols' awareness timeout reads through lib0) SNURRA_TEST_CLOCK_JUMP_MS forward, so a test
// can see what happens half a minute later without waiting for it.
const step = Number(process.env.SNURRA_TEST_CLOCK_JUMP_MS || 0)
let offset = 0
const realNow = Date.now
Date.now = () => realNow() + offset
process.on('SIGUSR2', () => {
  offset += step
})
