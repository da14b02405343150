import { signInFailureMessage } from './signInFailure';

describe('signInFailureMessage', () => {
  it("is the innermost cause's message", () => {
    const reason = new Error(
      'Sign-in refused: eve@outside.example is not in an allowed email domain (example.com).',
    );
    const wrapped = Object.assign(
      new Error(`Login failed; caused by NotAllowedError: ${reason.message}`),
      { cause: reason },
    );
    expect(signInFailureMessage(wrapped)).toBe(reason.message);
  });

  it('is the message itself without a cause', () => {
    expect(
      signInFailureMessage(new Error('Login failed, popup was closed')),
    ).toBe('Login failed, popup was closed');
  });

  it('stops at a cause that is not an error', () => {
    const error = Object.assign(new Error('Login failed'), { cause: 42 });
    expect(signInFailureMessage(error)).toBe('Login failed');
    expect(signInFailureMessage('a string')).toBeUndefined();
  });
});
