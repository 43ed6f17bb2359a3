/** Calls `fn` at most once per `ms`, always delivering the last call (trailing edge). */
export function throttle(fn: () => void, ms: number): { (): void; cancel(): void } {
  let last = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  const run = () => {
    timer = null
    last = Date.now()
    fn()
  }
  const throttled = () => {
    if (timer) return
    const wait = last + ms - Date.now()
    if (wait <= 0) run()
    else timer = setTimeout(run, wait)
  }
  throttled.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  return throttled
}
