import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import { createEventEmitAction } from './eventEmit';
import { EventServer, startEventServer } from '../__testUtils__/eventServer';
import {
  createTestAction,
  createTestContext,
  expectedKey,
  TEMPLATE_REF,
  TOKEN,
  USER_REF,
} from '../__testUtils__/harness';

type Handler = ReturnType<typeof createEventEmitAction>['handler'];

/** Characters and fragments that break JSON, YAML, templates, paths or log lines. */
const nasty = fc.constantFrom(
  '"',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  ':',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  ',',
  '-',
  '.',
  '/',
  ' ',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  'é',
  '漢',
  '${{ parameters.name }}',
  '{{ x }}',
  '../',
  '..\\',
  '---\n',
  '\n- ',
  'null',
  'true',
  '__proto__',
  '","name":"x',
  'a',
  'b',
  'z',
  '0',
  '_',
);

const nastyString = fc.string({ unit: nasty, maxLength: 20 });
const longString = fc
  .tuple(fc.integer({ min: 90, max: 1100 }), fc.constantFrom('a', 'é', '/'))
  .map(([length, char]) => char.repeat(length));
const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

// Valid by construction: free text wherever free text is allowed.
const validName = fc.stringMatching(
  /^[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){1,3}$/,
);
const singleLine = fc.string({
  unit: nasty.filter(
    // eslint-disable-next-line no-control-regex
    s => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|^[\ud800-\udfff]$/.test(s),
  ),
  minLength: 1,
  maxLength: 20,
});
const freeText = fc.string({
  unit: nasty.filter(
    s =>
      // eslint-disable-next-line no-control-regex
      !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|^[\ud800-\udfff]$/.test(
        s,
      ),
  ),
  maxLength: 40,
});
const validAttributes = fc.dictionary(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,10}$/),
  fc.oneof(
    freeText,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
  ),
  { maxKeys: 10, noNullPrototype: true },
);
const validInput = fc.record(
  {
    name: validName,
    service: singleLine,
    attributes: validAttributes,
    required: fc.boolean(),
  },
  { requiredKeys: ['service'] },
);

// Anything: wrong types, oversized, control characters, prototype keys.
const eventName = fc.oneof(
  nastyString,
  longString.map(s => `a.${s}`),
  nonString,
);
const attributeKey = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,10}$/),
  nastyString,
  fc.constantFrom('__proto__', 'constructor', 'toString', `k${'x'.repeat(64)}`),
);
const attributeValue = fc.oneof(
  nastyString,
  longString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nastyString, { maxLength: 2 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 2 }),
);
const attributes = fc.oneof(
  fc.dictionary(attributeKey, attributeValue, { maxKeys: 8 }),
  fc.dictionary(fc.stringMatching(/^k[0-9]{1,3}$/), fc.integer(), {
    minKeys: 45,
    maxKeys: 60,
  }),
  nonString,
  nastyString,
);

/** Mostly valid, sometimes mangled, so that both outcomes occur often. */
function mostly<T>(valid: fc.Arbitrary<T>, mangled: fc.Arbitrary<unknown>) {
  return fc.oneof(
    { arbitrary: valid, weight: 3 },
    { arbitrary: mangled, weight: 1 },
  );
}

/** Plausible input with fields mangled now and then, and sometimes an unknown field. */
const anyInput = fc
  .tuple(
    fc.record(
      {
        name: mostly(validName, eventName),
        service: mostly(
          singleLine,
          fc.oneof(nastyString, longString, nonString),
        ),
        attributes: mostly(validAttributes, attributes),
        required: mostly(fc.boolean(), fc.oneof(nonString, nastyString)),
      },
      { requiredKeys: ['service'] },
    ),
    fc.oneof(
      { arbitrary: fc.constant(null), weight: 19 },
      { arbitrary: nastyString, weight: 1 },
    ),
  )
  .map(
    ([input, extra]): Record<string, unknown> =>
      extra === null ? input : { ...input, [extra || 'extra']: true },
  );

/** What JSON makes of an attribute value: -0 becomes 0, nothing else changes. */
function jsonAttributes(value: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value ?? {}).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]),
  );
}

// A thousand generated runs: seconds on a quiet machine, more when CI runs every suite
// in parallel on two cores.
jest.setTimeout(60_000);

describe('portal:event:emit with arbitrary input', () => {
  let server: EventServer;
  let action: ReturnType<typeof createEventEmitAction>;
  let counter = 0;

  beforeAll(async () => {
    server = await startEventServer();
    action = createTestAction(server, {
      endpoint: `${server.url}/events`,
      token: TOKEN,
      retries: 0,
    });
  });

  afterAll(async () => {
    await server.close();
  });

  /** Runs the handler; returns 'rejected' for an InputError, else checks what the server got. */
  async function runAndCheck(
    input: Record<string, unknown>,
  ): Promise<'rejected' | 'delivered'> {
    counter += 1;
    const taskId = `prop-task-${counter}`;
    server.addTask(taskId, new Date(Date.now() - 500));
    const before = server.requests.length;
    const { context, outputs, lines } = createTestContext({ input, taskId });

    let error: unknown;
    try {
      await action.handler(context as unknown as Parameters<Handler>[0]);
    } catch (e) {
      error = e;
    }
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
    }

    const sent = server.requests.slice(before);
    if (error !== undefined) {
      if (!(error instanceof InputError)) {
        throw error;
      }
      expect(error.message).toMatch(
        /^Invalid input: (field '|unknown field ')/,
      );
      expect(sent).toEqual([]);
      expect(outputs).toEqual({});
      return 'rejected';
    }

    const posts = sent.filter(r => r.method === 'POST');
    expect(posts).toHaveLength(1);
    const name = input.name ?? 'scaffold.completed';
    const key = expectedKey(taskId, name as string);
    expect(posts[0].headers['idempotency-key']).toBe(key);
    expect(JSON.parse(posts[0].body)).toStrictEqual({
      id: key,
      name,
      service: input.service,
      templateRef: TEMPLATE_REF,
      user: USER_REF,
      taskId,
      duration_ms: expect.any(Number),
      attributes: jsonAttributes(input.attributes),
      occurredAt: expect.any(String),
    });
    expect(outputs).toMatchObject({ delivered: true, idempotencyKey: key });
    return 'delivered';
  }

  it('either rejects the input and sends nothing, or sends exactly the intended event', async () => {
    const seen = { rejected: 0, delivered: 0 };
    await fc.assert(
      fc.asyncProperty(anyInput, async input => {
        seen[await runAndCheck(input)] += 1;
      }),
      { numRuns: 1000 },
    );
    // The generator must exercise both outcomes, or the property says little.
    expect(seen.rejected).toBeGreaterThan(200);
    expect(seen.delivered).toBeGreaterThan(200);
  });

  it('delivers every valid input unchanged, metacharacters included', async () => {
    await fc.assert(
      fc.asyncProperty(validInput, async input => {
        expect(await runAndCheck(input)).toBe('delivered');
      }),
      { numRuns: 300 },
    );
  });
});
