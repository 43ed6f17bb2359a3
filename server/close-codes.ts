/**
 * WebSocket close codes Snurra uses. The y-websocket client treats 4400–4499 as permanent and
 * stops reconnecting, so those are for problems a retry cannot fix; the README lists them.
 */
export const CLOSE = {
  goingAway: 1001, // server shutting down: reconnect
  tooBig: 1009, // frame over MAX_PAYLOAD_BYTES (sent by ws itself)
  serverError: 1011, // storage failed: reconnect later, nothing was acknowledged
  tryAgainLater: 1013, // the client fell too far behind (send buffer full): reconnect and resync
  malformed: 4400, // a frame that is not the y-websocket protocol or not a valid Yjs update
  unauthorized: 4401, // missing, malformed, forged or expired token
  notFound: 4404, // no such board
  gone: 4410, // the board was deleted: browsers drop their local copies
  // 4500–4599: y-websocket's "try again later" range; the client reconnects with backoff.
  boardFull: 4503, // the board has MAX_CONNECTIONS_PER_BOARD connections
  rateLimited: 4529, // over RATE_LIMIT_MESSAGES or RATE_LIMIT_BYTES (429, in the transient range)
  addressFull: 4530, // MAX_CONNECTIONS_PER_IP connections from this client's address
} as const
