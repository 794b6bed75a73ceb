import type { FastifyReply } from 'fastify';
/**
 * A serializer compiler that ignores the response schema and sends `JSON.stringify` of the body.
 * For routes whose response schemas document the API only: fast-json-stringify would drop
 * properties the schema does not name and emit them in the schema's order, so an open-ended body
 * (a stored ProposalResult, artifact or evidence bundle) or a replay would no longer be sent as kept.
 */
export const verbatimSerializerCompiler = () => (data: unknown) => JSON.stringify(data);

/**
 * Sends a body that is already JSON text (a stored run's result, kept as it was first sent) as it
 * is: never parsed, never serialised again. The route's response schema still documents its shape.
 */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}
