'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@opspilot/api';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { focusFirstInvalid, noFormErrors, readFormErrors, type FormErrors } from './field-errors';

export type CreatedApiKey = inferRouterOutputs<AppRouter>['apiKey']['create'];
type Scope = 'read' | 'write' | 'admin';

const scopeChoices: { value: Scope; hint: string }[] = [
  { value: 'read', hint: 'read dashboards, metrics and incidents' },
  { value: 'write', hint: 'send events and make changes' },
  { value: 'admin', hint: 'manage keys and settings' },
];
const fieldIds = { name: 'api-key-name', scopes: 'api-key-scope-read', expiresInDays: 'api-key-expiry' };
const fieldNames = Object.keys(fieldIds);

/** What the form can tell without the server: a name and at least one scope. The server checks the rest. */
function checkLocally(name: string, scopes: Scope[]): FormErrors {
  const fields: Record<string, string> = {};
  if (!name.trim()) fields.name = 'Give the key a name, e.g. "Billing export", so you know later what uses it.';
  if (scopes.length === 0) fields.scopes = 'Choose at least one scope.';
  return { fields, general: null };
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <p id={id} className="field-error" data-testid={id}>{message}</p> : null;
}

/**
 * Creates an API key. The form keeps what was typed when the server refuses
 * it, and shows each refusal next to its field.
 */
export function ApiKeyForm({ workspaceId, onCreated }: { workspaceId: string; onCreated: (created: CreatedApiKey) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [expiry, setExpiry] = useState('');
  const [localErrors, setLocalErrors] = useState<FormErrors>(noFormErrors);
  const create = useMutation(trpc.apiKey.create.mutationOptions({
    onSuccess: (created) => {
      setName('');
      setScopes(['read']);
      setExpiry('');
      void queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.infiniteQueryKey({ workspaceId }) });
      onCreated(created);
    },
    onError: (error) => focusFirstInvalid(readFormErrors(error, fieldNames), fieldIds),
  }));
  const errors = localErrors.general || Object.keys(localErrors.fields).length > 0 ? localErrors : readFormErrors(create.error, fieldNames);

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = checkLocally(name, scopes);
    setLocalErrors(local);
    if (Object.keys(local.fields).length > 0) {
      create.reset();
      focusFirstInvalid(local, fieldIds);
      return;
    }
    create.mutate({ workspaceId, name: name.trim(), scopes, expiresInDays: expiry.trim() ? Number(expiry) : undefined });
  }

  function toggleScope(scope: Scope, checked: boolean) {
    setScopes((current) => (checked ? [...current, scope] : current.filter((candidate) => candidate !== scope)));
  }

  const describedBy = (field: string, hint?: string) => [hint, errors.fields[field] ? `api-key-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-label="Create an API key" data-testid="api-key-form">
      <div className="form-fields">
        <div>
          <label htmlFor={fieldIds.name}>Name</label>
          <input id={fieldIds.name} value={name} maxLength={80} onChange={(event) => setName(event.target.value)} aria-invalid={Boolean(errors.fields.name)} aria-describedby={describedBy('name')} placeholder="Billing export" />
          <FieldError id="api-key-name-error" message={errors.fields.name} />
        </div>
        <fieldset aria-describedby={describedBy('scopes')}>
          <legend>Scopes</legend>
          <div className="checkbox-row">
            {scopeChoices.map((choice) => (
              <label key={choice.value} title={choice.hint}>
                <input id={`api-key-scope-${choice.value}`} type="checkbox" checked={scopes.includes(choice.value)} onChange={(event) => toggleScope(choice.value, event.target.checked)} />
                {choice.value}
              </label>
            ))}
          </div>
          <p className="field-hint">read: {scopeChoices[0]?.hint}; write: {scopeChoices[1]?.hint}; admin: {scopeChoices[2]?.hint}.</p>
          <FieldError id="api-key-scopes-error" message={errors.fields.scopes} />
        </fieldset>
        <div>
          <label htmlFor={fieldIds.expiresInDays}>Expires after (days, optional)</label>
          <input id={fieldIds.expiresInDays} type="number" inputMode="numeric" min={1} max={365} value={expiry} onChange={(event) => setExpiry(event.target.value)} aria-invalid={Boolean(errors.fields.expiresInDays)} aria-describedby={describedBy('expiresInDays', 'api-key-expiry-hint')} />
          <p id="api-key-expiry-hint" className="field-hint">1 to 365; leave empty for a key that lasts until revoked.</p>
          <FieldError id="api-key-expiresInDays-error" message={errors.fields.expiresInDays} />
        </div>
      </div>
      <div className="row">
        <button type="submit" disabled={create.isPending}>{create.isPending ? 'Creating…' : 'Create key'}</button>
      </div>
      {errors.general ? <p role="alert" className="field-error" data-testid="api-key-form-error">Could not create the key: {errors.general}</p> : null}
    </form>
  );
}
