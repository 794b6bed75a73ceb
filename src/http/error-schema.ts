/** The API's one error body (`errors.ts` `ErrorBody`) as a schema, for the OpenAPI document. */
import { Type } from '@sinclair/typebox';

export const ErrorBodySchema = Type.Object(
  {
    detail: Type.String({ description: 'The code, as the reference put it in `detail`.' }),
    code: Type.String({ description: 'A catalogued reason code.' }),
    message: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String({ description: 'e.g. body.proposed_trades[0].quantity' }), code: Type.String(), message: Type.String() }), {
        description: 'Every bad field of a validation failure.',
      }),
    ),
  },
  { description: 'ErrorBody' },
);
