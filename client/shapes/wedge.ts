/** Moved to core so the server's report draws the circle as the canvas does. */
export * from '../../core/wedge.ts'
