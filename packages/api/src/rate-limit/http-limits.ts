/**
 * Returns the request with its body read into memory, or a 413 response when
 * the body is larger than `maxBytes`. Content-Length is checked first; the
 * body is also counted while streaming, since the header can be absent or
 * wrong (chunked uploads).
 */
export async function readBoundedRequest(request: Request, maxBytes: number): Promise<Request | Response> {
  if (!request.body) return declaredLength(request.headers) > maxBytes ? payloadTooLarge(maxBytes) : request;
  const body = await readBoundedBody(request.headers, request.body, maxBytes);
  if (body === null) return payloadTooLarge(maxBytes);
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

function declaredLength(headers: Headers): number {
  const declared = Number(headers.get('content-length') ?? '0');
  return Number.isFinite(declared) ? declared : 0;
}

/**
 * Reads a request's or a response's body into memory, or null as soon as it is known to be larger
 * than `maxBytes` (by its Content-Length, or while streaming, since the header can be absent or
 * wrong); the stream is then cancelled.
 */
export async function readBoundedBody(headers: Headers, stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (declaredLength(headers) > maxBytes) {
    await stream.cancel();
    return null;
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

export function payloadTooLarge(maxBytes: number): Response {
  return Response.json(
    { code: 'PAYLOAD_TOO_LARGE', message: `The request body exceeds ${maxBytes} bytes.` },
    { status: 413 },
  );
}

/** Copies headers a procedure set (Set-Cookie, Retry-After) onto a response. */
export function appendResponseHeaders(response: Response, headers: Headers): Response {
  headers.forEach((value, key) => response.headers.append(key, value));
  return response;
}
