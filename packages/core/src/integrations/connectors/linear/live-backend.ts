import { LinearClient, type LinearClientOptions } from '@linear/sdk';
import { z } from 'zod';
import { surfaceGuardError, type GuardedFetch } from '../../guarded-fetch';
import { toIso } from '../connector';
import type { LinearBackend, LinearIssue } from './tools';

export const LinearCredentials = z.object({ apiKey: z.string().min(8) });
export type LinearCredentials = z.infer<typeof LinearCredentials>;

export const LinearConfig = z.object({
  /** Overrides https://api.linear.app/graphql, e.g. a local fake in tests. */
  baseUrl: z.url().optional(),
  defaultTeamId: z.string().optional(),
});
export type LinearConfig = z.infer<typeof LinearConfig>;

// Explicit selections: the SDK's generated documents fetch dozens of fields we never show.
const listIssuesQuery = `query OpsPilotListIssues($first: Int!, $filter: IssueFilter) {
  issues(first: $first, filter: $filter, orderBy: createdAt) {
    nodes { id identifier title priority url createdAt state { name } }
  }
}`;

const createIssueMutation = `mutation OpsPilotCreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id identifier title url } }
}`;

interface IssueNode {
  id: string;
  identifier?: string | null;
  title: string;
  priority?: number | null;
  url?: string | null;
  createdAt?: string | null;
  state?: { name?: string | null } | null;
}

function describeIssue(node: IssueNode): LinearIssue {
  return {
    id: node.id,
    identifier: node.identifier ?? null,
    title: node.title,
    state: node.state?.name ?? null,
    priority: typeof node.priority === 'number' ? Math.round(node.priority) : null,
    url: node.url ?? null,
    createdAt: toIso(node.createdAt),
  };
}

/**
 * The SDK's client. It takes no fetch, but hands its options on to the
 * runtime's fetch as the request init, so the gateway's guarded connection
 * pool goes in as `dispatcher`: every socket dials only an address the SSRF
 * guard checked at connect time (decision 0015), and redirects are refused.
 */
function createLinearClient(credentials: LinearCredentials, config: LinearConfig, guardedFetch?: GuardedFetch): LinearClient {
  const options = {
    apiKey: credentials.apiKey,
    ...(config.baseUrl ? { apiUrl: config.baseUrl } : {}),
    ...(guardedFetch?.dispatcher ? { dispatcher: guardedFetch.dispatcher, redirect: 'error' as const } : {}),
  };
  // The pool is undici's (the npm package); the runtime's fetch accepts it, but its RequestInit typings name its own copy.
  return new LinearClient(options as LinearClientOptions);
}

/** Linear through @linear/sdk's GraphQL client with the workspace's API key. */
export function createLinearLiveBackend(credentials: LinearCredentials, config: LinearConfig, guardedFetch?: GuardedFetch): LinearBackend {
  const linear = createLinearClient(credentials, config, guardedFetch);
  return {
    async listIssues(query) {
      const filter: Record<string, unknown> = {};
      if (query.teamId) filter.team = { id: { eq: query.teamId } };
      if (query.state) filter.state = { name: { eqIgnoreCase: query.state } };
      const response = await surfaceGuardError(() =>
        linear.client.rawRequest<{ issues: { nodes: IssueNode[] } }, Record<string, unknown>>(listIssuesQuery, { first: query.limit, filter }),
      );
      return (response.data?.issues.nodes ?? []).map(describeIssue);
    },
    async createIssue(input) {
      const teamId = input.teamId ?? config.defaultTeamId;
      if (!teamId) throw new Error('No teamId given and no default team configured');
      const response = await surfaceGuardError(() =>
        linear.client.rawRequest<{ issueCreate: { success: boolean; issue: IssueNode | null } }, Record<string, unknown>>(createIssueMutation, {
          input: {
            teamId,
            title: input.title,
            ...(input.description ? { description: input.description } : {}),
            ...(input.priority === undefined ? {} : { priority: input.priority }),
          },
        }),
      );
      const issue = response.data?.issueCreate.issue;
      if (!response.data?.issueCreate.success || !issue) throw new Error('Linear did not create the issue');
      return { id: issue.id, identifier: issue.identifier ?? null, title: issue.title, url: issue.url ?? null, sandbox: false, duplicate: false };
    },
  };
}
