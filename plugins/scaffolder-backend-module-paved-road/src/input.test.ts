import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import { parseActionInput, text, Zod } from './input';

const shape = {
  title: (z: Zod) => text(z, { max: 200 }),
  notes: (z: Zod) => text(z, { max: 200 }).optional(),
  labels: (z: Zod) => z.record(z.string()).optional(),
};

const parse = (input: unknown) =>
  parseActionInput(shape, input, { multiline: ['notes'] });

// C0 controls and DEL: what hasControlCharacters looks for.
const control = fc
  .integer({ min: 0, max: 0x20 })
  .map(code => String.fromCharCode(code === 0x20 ? 0x7f : code));
const printable = fc.string({ unit: 'grapheme', maxLength: 20 }).filter(
  // eslint-disable-next-line no-control-regex
  s => !/[\u0000-\u001f\u007f]/.test(s),
);

describe('parseActionInput', () => {
  it('refuses a control character in any field, naming that field only', () => {
    fc.assert(
      fc.property(printable, control, printable, (before, c, after) => {
        const error = (() => {
          try {
            parse({ title: `${before}${c}${after}` });
            return undefined;
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).toBe(
          "Invalid input: field 'title': must not contain control characters (such as NUL)",
        );
      }),
      { numRuns: 300 },
    );
  });

  it('lets multiline fields keep tabs and line breaks, and nothing else', () => {
    expect(parse({ title: 'a', notes: 'one\n\ttwo\r\n' })).toEqual({
      title: 'a',
      notes: 'one\n\ttwo\r\n',
    });
    expect(() => parse({ title: 'a', notes: 'one\u0000two' })).toThrow(
      "field 'notes': must not contain control characters",
    );
    expect(() => parse({ title: 'a\nb' })).toThrow(
      "field 'title': must not contain control characters",
    );
  });

  it('looks into nested values and names the nested field', () => {
    expect(() =>
      parse({ title: 'a', labels: { ok: 'fine', bad: 'x\u001by' } }),
    ).toThrow(
      "Invalid input: field 'labels.bad': must not contain control characters (such as NUL)",
    );
  });

  it('accepts any printable text, and reports the other problems as before', () => {
    fc.assert(
      fc.property(
        printable.filter(s => s.length > 0),
        title => {
          expect(parse({ title })).toEqual({ title });
        },
      ),
      { numRuns: 300 },
    );
    expect(() => parse({ title: '' })).toThrow(
      "Invalid input: field 'title': must not be empty",
    );
  });
});
