/** One request as a fake server at the HTTP layer saw it. */
export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
};

/** Records what msw hands a handler, leaving the request readable for the handler. */
export async function recordRequest(
  requests: RecordedRequest[],
  request: Request,
): Promise<void> {
  const url = new URL(request.url);
  requests.push({
    method: request.method,
    path: `${url.pathname}${url.search}`,
    headers: Object.fromEntries(request.headers.entries()),
    body: request.method === 'GET' ? '' : await request.clone().text(),
  });
}
