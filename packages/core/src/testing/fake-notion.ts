import { parseBody, readBearer, startFakeHttpServer, type FakeHttpServer, type FakeResponse } from './fake-http-server';

export interface FakeNotion extends FakeHttpServer {
  pages: { id: string; parentPageId: string; title: string; paragraphs: string[] }[];
}

function notionError(status: number, code: string, message: string): FakeResponse {
  return { status, body: { object: 'error', status, code, message } };
}

/** A local server speaking the Notion API (`POST /v1/search`, `POST /v1/pages`). Point Client's baseUrl at it. */
export async function startFakeNotion(options: { tokens: string[] }): Promise<FakeNotion> {
  const pages: FakeNotion['pages'] = [
    { id: 'page-runbook', parentPageId: 'root', title: 'Incident runbook', paragraphs: [] },
    { id: 'page-pricing', parentPageId: 'root', title: 'Pricing notes', paragraphs: [] },
  ];
  const toPageObject = (page: FakeNotion['pages'][number]) => ({
    object: 'page',
    id: page.id,
    url: `https://www.notion.so/${page.id}`,
    last_edited_time: '2026-11-20T10:00:00.000Z',
    properties: { title: { id: 'title', type: 'title', title: [{ type: 'text', plain_text: page.title, text: { content: page.title } }] } },
  });
  const server = await startFakeHttpServer((request): FakeResponse => {
    const token = readBearer(request);
    if (!token || !options.tokens.includes(token)) return notionError(401, 'unauthorized', 'API token is invalid.');
    const body = parseBody(request);
    if (request.method === 'POST' && request.path === '/v1/search') {
      const query = typeof body.query === 'string' ? body.query.toLowerCase() : '';
      const results = pages.filter((page) => page.title.toLowerCase().includes(query)).map(toPageObject);
      return { body: { object: 'list', results, has_more: false, next_cursor: null } };
    }
    if (request.method === 'POST' && request.path === '/v1/pages') {
      const parent = body.parent as { page_id?: string } | undefined;
      const properties = body.properties as { title?: { title?: { text?: { content?: string } }[] } } | undefined;
      const children = (body.children ?? []) as { paragraph?: { rich_text?: { text?: { content?: string } }[] } }[];
      if (!parent?.page_id) return notionError(400, 'validation_error', 'body.parent.page_id should be defined');
      const page = {
        id: `page-${pages.length + 1}`,
        parentPageId: parent.page_id,
        title: properties?.title?.title?.[0]?.text?.content ?? '',
        paragraphs: children.map((child) => child.paragraph?.rich_text?.[0]?.text?.content ?? ''),
      };
      pages.push(page);
      return { body: toPageObject(page) };
    }
    return notionError(404, 'object_not_found', `No route ${request.method} ${request.path}`);
  });
  return { ...server, pages };
}
