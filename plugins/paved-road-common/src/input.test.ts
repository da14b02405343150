import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { parseInput } from './input';

describe('parseInput', () => {
  const schema = z.strictObject({
    name: z.string().min(1, 'must not be empty'),
    spec: z.object({ owner: z.string() }),
  });

  it('returns the parsed value', () => {
    expect(
      parseInput(schema, { name: 'a', spec: { owner: 'b' } }, 'service'),
    ).toEqual({ name: 'a', spec: { owner: 'b' } });
  });

  it('throws an InputError naming every field at fault', () => {
    const parse = () =>
      parseInput(schema, { name: '', spec: {}, extra: 1 }, 'service');
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(
      "Invalid service: field 'name': must not be empty; field 'spec.owner': ",
    );
    expect(parse).toThrow("unknown field 'extra'");
  });

  it('reads a missing value as an empty object, so the required field is named', () => {
    expect(() => parseInput(schema, undefined, 'service')).toThrow(
      /^Invalid service: field 'name': /,
    );
  });

  it('takes zod v3 schemas too, as the scaffolder hands them to actions', () => {
    const v3 = z3.object({ repoUrl: z3.string() }).strict();
    expect(() => parseInput(v3, { repoUrl: 3 }, 'input')).toThrow(
      "Invalid input: field 'repoUrl': Expected string, received number",
    );
  });
});
