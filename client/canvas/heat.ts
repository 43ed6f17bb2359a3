/** Moved to core so the server's report colours paths as the canvas does. */
export * from '../../core/heat.ts'
