import { VoteTool } from './VoteTool.ts'

/**
 * Facilitation in the browser (issue 4): BoardEditor places the bar under the header and the
 * panels in the side panel, and registers the vote tool with tldraw.
 */
export { FacilitationBar } from './FacilitationBar.tsx'
export { FacilitationPanels } from './FacilitationPanels.tsx'
export { CardBadges } from './CardBadges.tsx'
export const facilitationTools = [VoteTool]
