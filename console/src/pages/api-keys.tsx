// API keys: the account's keys in this region (GetApiKeys), create one (a generated or given value), show a key's
// value (GetApiKey includeValue), enable or disable it (UpdateApiKey), delete it.
import { CreateApiKeyCommand, DeleteApiKeyCommand, GetApiKeyCommand, UpdateApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allApiKeys, apigw } from '../apigw-features/calls.ts';
import { Button, Checkbox, CopyButton, ErrorNote, Loading, Section, TextField } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

function CreateKey(props: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [value, setValue] = useState('');
  const [enabled, setEnabled] = useState(true);
  const action = useAction();
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      if (await action.run(() => apigw().send(new CreateApiKeyCommand({ name, description: description || undefined, value: value || undefined, enabled })))) {
        setName('');
        setValue('');
        props.onCreated();
      }
    }}>
      <div class="row">
        <TextField label="Key name" name="name" value={name} onInput={setName} />
        <TextField label="Description" name="description" value={description} onInput={setDescription} />
      </div>
      <TextField label="Key value" name="value" value={value} onInput={setValue} hint="Leave empty to have one generated (at least 20 characters when given)." />
      <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} />
      <ErrorNote error={action.error} />
      <Button type="submit" variant="primary" busy={action.busy}>Create API key</Button>
    </form>
  );
}

function KeyValue(props: { id: string }) {
  const [value, setValue] = useState<string>();
  const action = useAction();
  if (value) return <span class="mono">{value} <CopyButton text={value} label="Copy key value" /></span>;
  return (
    <>
      <Button variant="plain" busy={action.busy} onClick={() => action.run(async () => setValue((await apigw().send(new GetApiKeyCommand({ apiKey: props.id, includeValue: true }))).value))}>Show</Button>
      <ErrorNote error={action.error} />
    </>
  );
}

export default function ApiKeysPage() {
  const keys = useAws(allApiKeys, []);
  const action = useAction();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div class="page-head">
        <h1>API keys</h1>
        <Button variant="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>Create API key</Button>
      </div>
      {creating && <Section title="Create API key"><CreateKey onCreated={() => { setCreating(false); keys.reload(); }} /></Section>}
      <ErrorNote error={keys.error ?? action.error} />
      {keys.loading && !keys.data && <Loading what="API keys" />}
      {keys.data && keys.data.length > 0 && (
        <table class="grid" aria-label="API keys">
          <thead><tr><th>Name</th><th>ID</th><th>Enabled</th><th>Value</th><th>Usage plans</th><th>Created</th><th /></tr></thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td class="mono">{k.id}</td>
                <td>
                  {k.enabled ? 'Enabled' : 'Disabled'}{' '}
                  <Button variant="plain" aria-label={`${k.enabled ? 'Disable' : 'Enable'} API key ${k.name}`} onClick={async () => {
                    if (await action.run(() => apigw().send(new UpdateApiKeyCommand({ apiKey: k.id, patchOperations: [{ op: 'replace', path: '/enabled', value: String(!k.enabled) }] })))) keys.reload();
                  }}>{k.enabled ? 'Disable' : 'Enable'}</Button>
                </td>
                <td><KeyValue id={k.id!} /></td>
                <td>{k.stageKeys?.join(', ')}</td>
                <td>{k.createdDate?.toLocaleString()}</td>
                <td><Button variant="danger" aria-label={`Delete API key ${k.name}`} onClick={async () => {
                  if (window.confirm(`Delete API key ${k.name}?`) && await action.run(() => apigw().send(new DeleteApiKeyCommand({ apiKey: k.id })))) keys.reload();
                }}>Delete</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {keys.data?.length === 0 && <p class="muted">No API keys in this region yet.</p>}
    </>
  );
}
