import type { IncomingMessage } from 'node:http';
import { HttpError } from './http.ts';

/** Reads and parses a JSON request body, refusing more than `limitBytes` (1 MiB by default). */
export function readJsonBody(
  request: IncomingMessage,
  options: { limitBytes?: number } = {},
): Promise<unknown> {
  const limitBytes = options.limitBytes ?? 1024 * 1024;
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType)) {
    return Promise.reject(
      new HttpError(415, 'Expected an application/json body'),
    );
  }
  // Closing the connection spares reading an unbounded body only to reuse the connection.
  const tooLarge = () =>
    new HttpError(413, `Body larger than ${limitBytes} bytes`, {
      connection: 'close',
    });
  if (Number(request.headers['content-length']) > limitBytes) {
    return Promise.reject(tooLarge());
  }

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        // Discard the rest rather than destroy the socket, so the client still gets the 413.
        request.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'Body is not valid JSON'));
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
