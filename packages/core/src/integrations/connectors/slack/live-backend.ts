import { WebClient, LogLevel } from '@slack/web-api';
import { z } from 'zod';
import type { GuardedFetch } from '../../guarded-fetch';
import type { SlackBackend } from './tools';

export const SlackCredentials = z.object({ botToken: z.string().min(8) });
export type SlackCredentials = z.infer<typeof SlackCredentials>;

export const SlackConfig = z.object({
  /** Overrides https://slack.com/api/, e.g. a local fake in tests. */
  baseUrl: z.url().optional(),
});
export type SlackConfig = z.infer<typeof SlackConfig>;

/** Slack through @slack/web-api with the workspace's bot token. */
export function createSlackLiveBackend(credentials: SlackCredentials, config: SlackConfig, fetchThrough?: GuardedFetch): SlackBackend {
  const client = new WebClient(credentials.botToken, {
    // The gateway owns retries and timeouts; a hidden SDK retry would repeat a post.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    ...(fetchThrough ? { fetch: fetchThrough } : {}),
    ...(config.baseUrl ? { slackApiUrl: config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/` } : {}),
  });
  return {
    async listChannels(query) {
      const response = await client.conversations.list({
        limit: query.limit,
        exclude_archived: !query.includeArchived,
        types: 'public_channel,private_channel',
      });
      return (response.channels ?? []).map((channel) => ({
        id: channel.id ?? '',
        name: channel.name ?? '',
        isPrivate: channel.is_private ?? false,
        memberCount: channel.num_members ?? null,
        topic: channel.topic?.value || null,
      }));
    },
    async postMessage(input) {
      const response = await client.chat.postMessage({
        channel: input.channel,
        text: input.text,
        ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      });
      return { channel: response.channel ?? input.channel, ts: response.ts ?? '', sandbox: false, duplicate: false };
    },
  };
}
