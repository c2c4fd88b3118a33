import { z } from 'zod';
import { additiveVendorWrite, defineTool, readOnlyVendorTool, type ToolRunContext } from '../connector';

export const SlackChannel = z.object({
  id: z.string(),
  name: z.string(),
  isPrivate: z.boolean(),
  memberCount: z.number().int().nullable(),
  topic: z.string().nullable(),
});
export type SlackChannel = z.infer<typeof SlackChannel>;

export const PostMessageInput = z.object({
  channel: z.string().min(1).describe('Channel id (C...) or name (#ops)'),
  text: z.string().min(1).max(4000),
  threadTs: z.string().optional().describe('Reply in this thread'),
});
export type PostMessageInput = z.infer<typeof PostMessageInput>;

export const PostedMessage = z.object({ channel: z.string(), ts: z.string(), sandbox: z.boolean(), duplicate: z.boolean() });
export type PostedMessage = z.infer<typeof PostedMessage>;

export interface SlackBackend {
  listChannels(query: { limit: number; includeArchived: boolean }): Promise<SlackChannel[]>;
  postMessage(input: PostMessageInput, context: ToolRunContext): Promise<PostedMessage>;
}

export const slackTools = [
  defineTool({
    name: 'list_channels',
    title: 'List channels',
    description: 'Lists the Slack channels the bot can see.',
    inputSchema: z.object({ limit: z.number().int().min(1).max(200).default(100), includeArchived: z.boolean().default(false) }),
    outputSchema: z.object({ channels: z.array(SlackChannel) }),
    annotations: readOnlyVendorTool,
    run: async (backend: SlackBackend, input) => ({ channels: await backend.listChannels(input) }),
  }),
  defineTool({
    name: 'post_message',
    title: 'Post a message',
    description: 'Posts a message to a channel or thread. Visible to people: pass an idempotency key.',
    inputSchema: PostMessageInput,
    outputSchema: PostedMessage,
    annotations: additiveVendorWrite,
    run: (backend: SlackBackend, input, context) => backend.postMessage(input, context),
  }),
];
