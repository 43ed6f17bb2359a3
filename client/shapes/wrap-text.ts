/** Moved to core so the server's report wraps text as the canvas does. */
export * from '../../core/wrap-text.ts'
