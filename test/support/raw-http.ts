/**
 * HTTP/1.1 over a plain TCP socket, for what an HTTP client library will not send: control
 * characters in a header, a 20 KB header, a request that trickles in a byte at a time, a
 * connection that sends nothing at all. Every wait ends with the connection (or a generous bound,
 * which fails the test).
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The first response in what a server wrote, or null when it wrote nothing. */
export function parseResponse(text: string): RawResponse | null {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? Number.NaN);
  const rest = text.slice(end + 4);
  return { status: Number(statusLine.split(' ')[1]), headers, body: Number.isNaN(length) ? rest : rest.slice(0, length) };
}

export interface Exchange {
  readonly socket: Socket;
  /** Resolves when the server closes the connection (or it fails), with everything it wrote and when. */
  readonly closed: Promise<{ readonly text: string; readonly afterMs: number }>;
}

/** Opens a connection to `baseUrl` (http://host:port) and writes `text` once connected. */
export function openExchange(baseUrl: string, text = '', boundMs = 60_000): Exchange {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  const started = Date.now();
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  if (text !== '') socket.write(text, 'latin1');
  const closed = new Promise<{ text: string; afterMs: number }>((resolve, reject) => {
    const bound = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${boundMs} ms; it wrote: ${JSON.stringify(received.slice(0, 300))}`));
    }, boundMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(bound);
      resolve({ text: received, afterMs: Date.now() - started });
    });
  });
  return { socket, closed };
}

/** Writes `text` one character every `everyMs` while the connection is open (a slow client). */
export function trickle(exchange: Exchange, text: string, everyMs: number): void {
  let next = 0;
  const timer = setInterval(() => {
    if (exchange.socket.destroyed || !exchange.socket.writable || next >= text.length) {
      clearInterval(timer);
      return;
    }
    exchange.socket.write(text.charAt(next), 'latin1');
    next += 1;
  }, everyMs);
  exchange.socket.once('close', () => clearInterval(timer));
}

/** Sends one request and reads the response the server writes before closing (`Connection: close`). */
export async function rawRequest(baseUrl: string, text: string): Promise<RawResponse> {
  const { text: written } = await openExchange(baseUrl, text).closed;
  const response = parseResponse(written);
  if (!response) throw new Error(`no response to ${JSON.stringify(text.slice(0, 80))}; the server wrote ${JSON.stringify(written.slice(0, 200))}`);
  return response;
}
