import { parseBody, readBearer, startFakeHttpServer, type FakeHttpServer, type FakeResponse } from './fake-http-server';

export interface FakeLinearIssue {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  priority: number;
  teamId: string;
  state: string;
  createdAt: string;
}

export interface FakeLinear extends FakeHttpServer {
  issues: FakeLinearIssue[];
}

/**
 * A local GraphQL endpoint answering Linear's `issues` query and
 * `issueCreate` mutation, with Linear's error envelope for a bad API key.
 * Point LinearClient's apiUrl at `${url}/graphql`.
 */
export async function startFakeLinear(options: { apiKeys: string[] }): Promise<FakeLinear> {
  const issues: FakeLinearIssue[] = [
    { id: 'iss-1', identifier: 'ENG-1', title: 'Checkout 500s after deploy', description: null, priority: 1, teamId: 'team-eng', state: 'In Progress', createdAt: '2026-11-20T09:00:00.000Z' },
    { id: 'iss-2', identifier: 'OPS-7', title: 'Rotate webhook secret', description: null, priority: 3, teamId: 'team-ops', state: 'Todo', createdAt: '2026-11-21T09:00:00.000Z' },
  ];
  const toNode = (issue: FakeLinearIssue) => ({
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    priority: issue.priority,
    url: `https://linear.app/acme/issue/${issue.identifier}`,
    createdAt: issue.createdAt,
    state: { name: issue.state },
  });
  const server = await startFakeHttpServer((request): FakeResponse => {
    const token = readBearer(request);
    if (!token || !options.apiKeys.includes(token)) {
      return { status: 400, body: { errors: [{ message: 'Authentication required, not authenticated', extensions: { code: 'AUTHENTICATION_ERROR' } }] } };
    }
    const body = parseBody(request);
    const query = typeof body.query === 'string' ? body.query : '';
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    if (/\bissues\s*\(/.test(query)) {
      const filter = (variables.filter ?? {}) as { team?: { id?: { eq?: string } }; state?: { name?: { eqIgnoreCase?: string } } };
      const nodes = issues
        .filter((issue) => !filter.team?.id?.eq || issue.teamId === filter.team.id.eq)
        .filter((issue) => !filter.state?.name?.eqIgnoreCase || issue.state.toLowerCase() === filter.state.name.eqIgnoreCase.toLowerCase())
        .slice(0, Number(variables.first ?? 50))
        .map(toNode);
      return { body: { data: { issues: { nodes } } } };
    }
    if (/\bissueCreate\s*\(/.test(query)) {
      const input = (variables.input ?? {}) as { teamId?: string; title?: string; description?: string; priority?: number };
      const issue: FakeLinearIssue = {
        id: `iss-${issues.length + 1}`,
        identifier: `ENG-${issues.length + 1}`,
        title: input.title ?? '',
        description: input.description ?? null,
        priority: input.priority ?? 0,
        teamId: input.teamId ?? '',
        state: 'Todo',
        createdAt: '2026-11-25T00:00:00.000Z',
      };
      issues.push(issue);
      return { body: { data: { issueCreate: { success: true, issue: toNode(issue) } } } };
    }
    return { status: 400, body: { errors: [{ message: 'Unknown operation' }] } };
  });
  return { ...server, issues };
}
