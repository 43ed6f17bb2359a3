/** Moved to core so the server's report lays out labels as the canvas does. */
export * from '../../core/segment-layout.ts'
