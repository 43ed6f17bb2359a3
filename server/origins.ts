/** Transaction origins in a room's document and awareness, beside the connections themselves. */

/** Changes the server makes (facilitation, reveals): stored, then broadcast by `serverWrite`. */
export const SERVER_ORIGIN = 'snurra-server'
/** Changes another instance made and stored: never stored or passed on again. */
export const REMOTE_ORIGIN = 'snurra-remote'
