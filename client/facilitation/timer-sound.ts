const SOUND_KEY = 'snurra-timer-sound'

let context: AudioContext | null = null

/** Whether this user asked for a sound when the timer ends (remembered on the device). */
export function soundWanted(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on'
  } catch {
    return false
  }
}

/**
 * Turns the sound on or off. Browsers only let a page play audio after a user gesture, so the
 * audio context is created (or resumed) here, in the click that turns the sound on.
 */
export function setSoundWanted(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off')
  } catch {
    // Lasts for this page only.
  }
  if (on) void audio()?.resume()
}

function audio(): AudioContext | null {
  if (context) return context
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
  if (!Ctor) return null
  context = new Ctor()
  return context
}

/** Three short beeps, made with an oscillator: no sound file to load. */
export function beep(): void {
  const ctx = audio()
  if (!ctx) return
  const start = ctx.currentTime + 0.05
  for (let i = 0; i < 3; i++) {
    const at = start + i * 0.3
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.type = 'sine'
    osc.frequency.value = 880
    gain.gain.setValueAtTime(0.0001, at)
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2)
    osc.connect(gain).connect(ctx.destination)
    osc.start(at)
    osc.stop(at + 0.22)
  }
}
