/**
 * On stop, the connections of requests still in flight close once their response is sent.
 *
 * `server.close()` refuses new connections and closes idle ones, but a keep-alive connection
 * whose request is still being answered (a long engine call) stays open after its response,
 * holding the stop until the client hangs up. Marking those responses `Connection: close`
 * before they are written ends each connection right after its last byte is flushed — unlike
 * closing "idle" sockets, which can cut a large response that is still being written.
 */
import type { Server, ServerResponse } from 'node:http';

export interface ConnectionDrain {
  /** Responses not yet started will close their connection once sent. */
  closeAfterResponses(): void;
}

export function trackResponses(server: Server): ConnectionDrain {
  const pending = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    pending.add(response);
    response.once('close', () => pending.delete(response));
  });
  return {
    closeAfterResponses() {
      for (const response of pending) if (!response.headersSent) response.shouldKeepAlive = false;
    },
  };
}
