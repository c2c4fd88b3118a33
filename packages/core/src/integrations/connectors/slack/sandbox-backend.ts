import type { SandboxDataPort } from '../../sandbox-port';
import type { SlackBackend, SlackChannel } from './tools';

/** The channels every sandbox workspace sees; posts to them land in the outbox. */
export const sandboxSlackChannels: SlackChannel[] = [
  { id: 'C0SANDBOXOPS', name: 'ops', isPrivate: false, memberCount: 12, topic: 'Operations and on-call' },
  { id: 'C0SANDBOXREV', name: 'revenue', isPrivate: false, memberCount: 8, topic: 'Billing, dunning and MRR' },
  { id: 'C0SANDBOXINC', name: 'incidents', isPrivate: false, memberCount: 15, topic: 'Live incidents' },
  { id: 'C0SANDBOXCS', name: 'customer-success', isPrivate: false, memberCount: 6, topic: 'Accounts at risk' },
];

export function createSlackSandboxBackend(workspaceId: string, sandbox: SandboxDataPort): SlackBackend {
  return {
    async listChannels(query) {
      return sandboxSlackChannels.slice(0, query.limit);
    },
    async postMessage(input, context) {
      const name = input.channel.replace(/^#/, '');
      const channel = sandboxSlackChannels.find((candidate) => candidate.id === input.channel || candidate.name === name);
      if (!channel) throw new Error(`Channel ${input.channel} does not exist in the sandbox Slack`);
      const { entry, duplicate } = await sandbox.writeOutbox({
        workspaceId,
        connector: 'slack',
        action: 'post_message',
        payload: { channel: channel.id, channelName: channel.name, text: input.text, threadTs: input.threadTs ?? null },
        idempotencyKey: context.idempotencyKey,
      });
      return { channel: channel.id, ts: (entry.createdAt.getTime() / 1000).toFixed(6), sandbox: true, duplicate };
    },
  };
}
