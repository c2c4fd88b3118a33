import { parseBody, readBearer, startFakeHttpServer, type FakeHttpServer, type FakeResponse } from './fake-http-server';

export interface FakeSlack extends FakeHttpServer {
  /** Messages posted through chat.postMessage. */
  messages: { channel: string; text: string; threadTs: string | null; token: string }[];
}

/**
 * A local server speaking Slack's Web API (`POST /api/<method>`, form or JSON
 * body, `{ ok: false, error }` envelopes) for conversations.list and
 * chat.postMessage. Point WebClient's slackApiUrl at `${url}/api/`.
 */
export async function startFakeSlack(options: { tokens: string[] }): Promise<FakeSlack> {
  const messages: FakeSlack['messages'] = [];
  const channels = [
    { id: 'C01OPS', name: 'ops', is_private: false, num_members: 7, topic: { value: 'On-call' } },
    { id: 'C02REV', name: 'revenue', is_private: true, num_members: 3, topic: { value: '' } },
  ];
  const server = await startFakeHttpServer((request): FakeResponse => {
    const token = readBearer(request);
    if (!token || !options.tokens.includes(token)) return { body: { ok: false, error: 'invalid_auth' } };
    const body = parseBody(request);
    switch (request.path) {
      case '/api/conversations.list':
        return { body: { ok: true, channels, response_metadata: { next_cursor: '' } } };
      case '/api/chat.postMessage': {
        const channel = String(body.channel);
        const known = channels.find((candidate) => candidate.id === channel || `#${candidate.name}` === channel || candidate.name === channel);
        if (!known) return { body: { ok: false, error: 'channel_not_found' } };
        const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : null;
        messages.push({ channel: known.id, text: String(body.text), threadTs, token });
        return { body: { ok: true, channel: known.id, ts: `1764000000.${String(messages.length).padStart(6, '0')}` } };
      }
      default:
        return { body: { ok: false, error: 'unknown_method' } };
    }
  });
  return { ...server, messages };
}
