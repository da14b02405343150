/** The part of Express's response this middleware touches. */
type JsonResponse = {
  statusCode: number;
  json(body?: unknown): unknown;
};

function isErrorResponseBody(
  body: unknown,
): body is { error: unknown; request?: unknown; response: unknown } {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    'response' in body
  );
}

/**
 * Backstage's error handler (one per plugin router, one at the root) answers with the
 * error and `request: { method, url }`: the URL echoed back, query string included. The
 * caller knows what it asked; the echo only reflects input (tokens in a query, markup)
 * into the response. This drops it from every error body written as JSON.
 */
export function withoutRequestEcho() {
  return (_req: unknown, res: JsonResponse, next: () => void) => {
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      if (res.statusCode >= 400 && isErrorResponseBody(body)) {
        const { request: _echo, ...rest } = body;
        return json(rest);
      }
      return json(body);
    };
    next();
  };
}
