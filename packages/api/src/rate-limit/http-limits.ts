/**
 * Returns the request with its body read into memory, or a 413 response when
 * the body is larger than `maxBytes`. Content-Length is checked first; the
 * body is also counted while streaming, since the header can be absent or
 * wrong (chunked uploads).
 */
export async function readBoundedRequest(request: Request, maxBytes: number): Promise<Request | Response> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) return payloadTooLarge(maxBytes);
  if (!request.body) return request;
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
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
