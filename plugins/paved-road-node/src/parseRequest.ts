import { parseInput, ParsingSchema } from '@internal/paved-road-common';
import { RequestHandler } from 'express';

/**
 * A route's first check of its body or query: parses it with `schema` and puts what
 * comes out (trimmed, defaulted, normalized) in its place, or answers 400 with an
 * `InputError` naming every field at fault (`Invalid <what>: field 'x': ...`,
 * `unknown field 'y'`). It runs before an OpenAPI validator, whose refusals do not name
 * an unknown field, so people read our words and the spec checks what we let through.
 *
 * @public
 */
export function parseRequest<T>(
  part: 'body' | 'query',
  schema: ParsingSchema<T>,
  what: string,
): RequestHandler {
  return (req, _res, next) => {
    Object.assign(req, { [part]: parseInput(schema, req[part], what) });
    next();
  };
}
