/** Moved to core: the server's report and the browser's pictures share one legend. */
export * from '../../core/legend-model.ts'
