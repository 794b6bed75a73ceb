/**
 * The yardstick of `bench:api`: the smallest Fastify service there is — one route answering
 * `{"hello":"world"}`, no logging — on the Fastify the service itself runs. Its CPU per request is
 * the floor any route of ours pays for HTTP parsing, routing and writing a response on this
 * machine. Prints the address it listens on as one JSON line.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
