/**
 * The error bodies as schemas (components of the OpenAPI document), matching what
 * src/http/errors.ts renders: the reference's members first, ours (`code`, `message`, `errors`)
 * beside them. `HTTPValidationError` and `ValidationError` carry FastAPI's names.
 */
import { Type } from '@sinclair/typebox';

const ErrorResponse = Type.Object(
  {
    detail: Type.String({ description: "The reference's detail: the bare code, or the code and its text (e.g. `IDEMPOTENCY_KEY_CONFLICT: request hash mismatch`)." }),
    code: Type.String({ description: 'The catalogued code, bare (docs/errors.md).' }),
    message: Type.String({ description: 'What happened, for people.' }),
  },
  { title: 'ErrorResponse' },
);

const ValidationError = Type.Object(
  {
    type: Type.String({ description: 'The pydantic error type: missing, string_type, int_parsing, literal_error, json_invalid, …' }),
    loc: Type.Array(Type.Union([Type.String(), Type.Integer()]), { description: 'Where: ["body", …path], ["query", name], ["path", name] or ["header", Name].' }),
    msg: Type.String(),
    input: Type.Unknown({ description: 'The offending value (for a missing field, the object it is missing from; null for a missing parameter).' }),
    ctx: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { title: 'ValidationError' },
);

const HTTPValidationError = Type.Object(
  {
    detail: Type.Array(ValidationError),
    code: Type.Literal('VALIDATION_ERROR'),
    message: Type.String(),
    errors: Type.Array(Type.Object({ field: Type.String({ description: 'e.g. body.proposed_trades[0].quantity' }), code: Type.String(), message: Type.String() }), {
      description: 'The same problems as a flat list (this service\'s earlier format, kept).',
    }),
  },
  { title: 'HTTPValidationError' },
);

const ProblemDetails = Type.Object(
  {
    type: Type.Literal('about:blank'),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String({ description: 'The request path.' }),
    code: Type.Literal('INTERNAL_ERROR'),
    message: Type.String(),
  },
  { title: 'ProblemDetails', description: 'RFC 9457 problem document (application/problem+json).' },
);

export const ERROR_SCHEMAS = { ErrorResponse, ValidationError, HTTPValidationError, ProblemDetails } as const;
