'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { fieldsOf } from './provider-fields';

interface Props {
  workspaceId: string;
  integration: { id: string; provider: string; mode: 'live' | 'sandbox'; hasCredentials: boolean; config: Record<string, unknown> };
  onDone: () => void;
}

/**
 * Switches a connector to live with the workspace's own credentials, or back
 * to sandbox. The secret input starts empty every time: the API never returns
 * the stored value, only `hasCredentials`, and an empty field keeps it.
 */
export function ConnectorLiveForm({ workspaceId, integration, onDone }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fields = fieldsOf(integration.provider);
  const storedConfig = fields.requiredConfig ? integration.config[fields.requiredConfig.key] : undefined;
  const [secret, setSecret] = useState('');
  const [configValue, setConfigValue] = useState(typeof storedConfig === 'string' ? storedConfig : '');
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.integrations.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.tools.list.queryKey() });
  };
  const update = useMutation(trpc.integrations.update.mutationOptions({ onSuccess: () => { setSecret(''); refresh(); onDone(); } }));
  const formId = `live-${integration.id}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const config = fields.requiredConfig ? { ...integration.config, [fields.requiredConfig.key]: configValue } : undefined;
    update.mutate({
      workspaceId,
      integrationId: integration.id,
      mode: 'live',
      ...(secret ? { credentials: { [fields.credentialKey]: secret } } : {}),
      ...(config ? { config } : {}),
    });
  }

  const needsSecret = !integration.hasCredentials && secret === '';
  return (
    <form onSubmit={submit} aria-label={`Connect ${fields.label} live`} data-testid="live-form">
      <div className="form-grid">
        <label htmlFor={`${formId}-secret`}>
          {fields.credentialLabel}
          <input
            id={`${formId}-secret`}
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
            placeholder={integration.hasCredentials ? 'Stored; leave empty to keep it' : 'Paste the secret'}
            aria-describedby={`${formId}-hint`}
          />
        </label>
        {fields.requiredConfig ? (
          <label htmlFor={`${formId}-config`}>
            {fields.requiredConfig.label}
            <input id={`${formId}-config`} type="url" required value={configValue} placeholder={fields.requiredConfig.placeholder} onChange={(event) => setConfigValue(event.target.value)} />
          </label>
        ) : null}
        <div className="row">
          <button type="submit" disabled={update.isPending || needsSecret}>{update.isPending ? 'Saving…' : 'Switch to live'}</button>
          <button type="button" className="button-secondary" onClick={onDone}>Cancel</button>
        </div>
      </div>
      <p id={`${formId}-hint`} className="muted" style={{ fontSize: 12, margin: '6px 0 0' }}>
        Stored encrypted and never shown again. {integration.hasCredentials ? 'A secret is stored.' : 'No secret is stored yet.'}
      </p>
      {update.error ? <p role="alert" className="test-result test-result-error">Could not switch to live: {update.error.message}</p> : null}
    </form>
  );
}
