/**
 * A progress bar on stderr for long runs: redrawn in place on a terminal, one line per tenth
 * when output goes to a file or a pipe (so logs stay readable).
 */
export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
  let done = 0
  let lastTenth = -1
  const draw = () => {
    if (stream.isTTY) {
      const width = 30
      const filled = total ? Math.round((done / total) * width) : width
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`)
      if (done === total) stream.write('\n')
    } else {
      const tenth = total ? Math.floor((done / total) * 10) : 10
      if (tenth !== lastTenth) stream.write(`${label}: ${done}/${total}\n`)
      lastTenth = tenth
    }
  }
  draw()
  return {
    tick() {
      done++
      draw()
    },
  }
}
