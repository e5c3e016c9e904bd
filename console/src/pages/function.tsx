// One function: its code (functions/code-tab.tsx: UpdateFunctionCode) and a test event (Invoke with LogType Tail: the result, the status and the log tail of the
// LogResult), its configuration (UpdateFunctionConfiguration), versions and aliases (PublishVersion, CreateAlias,
// DeleteAlias), and its recent logs (CloudWatch Logs' /aws/lambda/NAME, tailed live).
import {
  CreateAliasCommand, DeleteAliasCommand, DeleteFunctionCommand, GetFunctionCommand, InvokeCommand, PublishVersionCommand,
  UpdateFunctionConfigurationCommand, type FunctionConfiguration, type InvocationResponse,
} from '@aws-sdk/client-lambda';
import { useState } from 'preact/hooks';
import { allAliases, allVersions, fromBase64, lambda } from '../functions/calls.ts';
import { CodeTab } from '../functions/code-tab.tsx';
import type { PageProps } from '../routes.tsx';
import { href, navigate } from '../router.ts';
import { prettyJson } from '../ui/json.ts';
import { LogTail } from '../ui/log-tail.tsx';
import { Button, ErrorNote, Loading, Note, Section, SelectField, TextArea, TextField } from '../ui/controls.tsx';
import { Tabs } from '../ui/tabs.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

type Tab = 'code' | 'test' | 'configuration' | 'versions' | 'logs';
// The AWS console's order (Code first); the page opens on Test, the view most visits come for.
const TABS = [['code', 'Code'], ['test', 'Test'], ['configuration', 'Configuration'], ['versions', 'Versions and aliases'], ['logs', 'Logs']] as const;


function TestTab(props: { name: string; qualifiers: string[] }) {
  const [event, setEvent] = useState('{\n  "key1": "value1",\n  "key2": "value2"\n}');
  const [qualifier, setQualifier] = useState('$LATEST');
  const [result, setResult] = useState<{ out: InvocationResponse; ms: number }>();
  const action = useAction();
  const invoke = async () => {
    setResult(undefined);
    await action.run(async () => {
      // The event must be JSON, as Lambda's console requires; the parse error is the browser's own message.
      JSON.parse(event);
      const t0 = performance.now();
      const out = await lambda().send(new InvokeCommand({ FunctionName: props.name, Qualifier: qualifier === '$LATEST' ? undefined : qualifier, LogType: 'Tail', Payload: new TextEncoder().encode(event) }));
      setResult({ out, ms: Math.round(performance.now() - t0) });
    });
  };
  const payload = result?.out.Payload ? prettyJson(new TextDecoder().decode(result.out.Payload)) : '';
  return (
    <Section title="Test event">
      <div class="wide"><TextArea label="Event JSON" name="event" code rows={8} value={event} onInput={setEvent} /></div>
      <div class="row">
        <SelectField label="Version or alias" value={qualifier} options={['$LATEST', ...props.qualifiers.filter((q) => q !== '$LATEST')]} onChange={setQualifier} />
      </div>
      <Button variant="primary" busy={action.busy} onClick={invoke}>Invoke</Button>
      <ErrorNote error={action.error} />
      {result && (
        <div aria-label="Execution result" role="region">
          <h3>{result.out.FunctionError ? `Execution failed (${result.out.FunctionError})` : 'Execution succeeded'}</h3>
          <dl class="kv">
            <dt>Status code</dt><dd>{result.out.StatusCode}</dd>
            <dt>Executed version</dt><dd>{result.out.ExecutedVersion}</dd>
            <dt>Round trip</dt><dd>{result.ms} ms</dd>
          </dl>
          <h3>Response</h3>
          <pre aria-label="Response payload">{payload}</pre>
          <h3>Log output</h3>
          <pre aria-label="Log output">{result.out.LogResult ? fromBase64(result.out.LogResult) : '(no log result)'}</pre>
        </div>
      )}
    </Section>
  );
}

function ConfigurationTab(props: { fn: FunctionConfiguration; onSaved(): void }) {
  const fn = props.fn;
  const [memory, setMemory] = useState(String(fn.MemorySize ?? 128));
  const [timeout, setTimeoutS] = useState(String(fn.Timeout ?? 3));
  const [handler, setHandler] = useState(fn.Handler ?? '');
  const [description, setDescription] = useState(fn.Description ?? '');
  const [env, setEnv] = useState(Object.entries(fn.Environment?.Variables ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'));
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const Variables: Record<string, string> = {};
    for (const line of env.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const eq = line.indexOf('=');
      Variables[eq === -1 ? line : line.slice(0, eq)] = eq === -1 ? '' : line.slice(eq + 1);
    }
    const ok = await action.run(() => lambda().send(new UpdateFunctionConfigurationCommand({
      FunctionName: fn.FunctionName, MemorySize: Number(memory), Timeout: Number(timeout), Handler: handler, Description: description, Environment: { Variables },
    })));
    if (ok) {
      setSaved(true);
      props.onSaved();
    }
  };
  return (
    <Section title="General configuration">
      <dl class="kv">
        <dt>Function ARN</dt><dd class="mono">{fn.FunctionArn}</dd>
        <dt>Runtime</dt><dd>{fn.Runtime}</dd>
        <dt>Role</dt><dd class="mono">{fn.Role}</dd>
        <dt>Code SHA-256</dt><dd class="mono">{fn.CodeSha256}</dd>
        <dt>State</dt><dd>{fn.State}{fn.LastUpdateStatus ? ` (last update ${fn.LastUpdateStatus})` : ''}</dd>
      </dl>
      <form onSubmit={save} class="inline-form">
        <div class="row">
          <TextField label="Memory (MB)" name="MemorySize" type="number" value={memory} onInput={setMemory} />
          <TextField label="Timeout (seconds)" name="Timeout" type="number" value={timeout} onInput={setTimeoutS} />
          <TextField label="Handler" name="Handler" value={handler} onInput={setHandler} />
        </div>
        <TextField label="Description" name="Description" value={description} onInput={setDescription} />
        <TextArea label="Environment variables" name="Environment" code rows={4} value={env} onInput={setEnv} hint="One KEY=value a line." />
        <ErrorNote error={action.error} />
        {saved && <Note kind="success">Configuration saved.</Note>}
        <Button type="submit" variant="primary" busy={action.busy}>Save</Button>
      </form>
    </Section>
  );
}

function VersionsTab(props: { name: string; onChanged(): void }) {
  const data = useAws(async () => ({ versions: await allVersions(props.name), aliases: await allAliases(props.name) }), [props.name]);
  const [description, setDescription] = useState('');
  const [alias, setAlias] = useState('');
  const [aliasVersion, setAliasVersion] = useState('$LATEST');
  const action = useAction();
  const after = (ok: boolean) => {
    if (ok) {
      data.reload();
      props.onChanged();
    }
  };
  const versions = data.data?.versions ?? [];
  return (
    <>
      <ErrorNote error={data.error ?? action.error} />
      {data.loading && !data.data && <Loading what="versions" />}
      <Section title="Versions" actions={
        <form class="actions" onSubmit={async (e) => { e.preventDefault(); after(await action.run(() => lambda().send(new PublishVersionCommand({ FunctionName: props.name, Description: description || undefined })))); }}>
          <TextField label="Version description" name="VersionDescription" value={description} onInput={setDescription} />
          <Button type="submit" busy={action.busy}>Publish new version</Button>
        </form>
      }>
        <table class="grid" aria-label="Versions">
          <thead><tr><th>Version</th><th>Description</th><th>Code SHA-256</th><th>Last modified</th></tr></thead>
          <tbody>{versions.map((v) => <tr key={v.Version}><td>{v.Version}</td><td>{v.Description}</td><td class="mono">{v.CodeSha256}</td><td>{v.LastModified}</td></tr>)}</tbody>
        </table>
      </Section>
      <Section title="Aliases">
        <table class="grid" aria-label="Aliases">
          <thead><tr><th>Name</th><th>Version</th><th>ARN</th><th /></tr></thead>
          <tbody>
            {(data.data?.aliases ?? []).map((a) => (
              <tr key={a.Name}>
                <td>{a.Name}</td><td>{a.FunctionVersion}</td><td class="mono">{a.AliasArn}</td>
                <td><Button variant="danger" aria-label={`Delete alias ${a.Name}`} onClick={async () => after(await action.run(() => lambda().send(new DeleteAliasCommand({ FunctionName: props.name, Name: a.Name }))))}>Delete</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="row inline-form" onSubmit={async (e) => { e.preventDefault(); after(await action.run(() => lambda().send(new CreateAliasCommand({ FunctionName: props.name, Name: alias, FunctionVersion: aliasVersion })))); }}>
          <TextField label="Alias name" name="AliasName" value={alias} onInput={setAlias} />
          <SelectField label="Alias version" value={aliasVersion} options={versions.map((v) => v.Version!)} onChange={setAliasVersion} />
          <Button type="submit" busy={action.busy}>Create alias</Button>
        </form>
      </Section>
    </>
  );
}

export default function FunctionPage(props: PageProps) {
  const name = props.params.name!;
  const [tab, setTab] = useState<Tab>('test');
  const fn = useAws(() => lambda().send(new GetFunctionCommand({ FunctionName: name })), [name]);
  const qualifiers = useAws(async () => [...(await allVersions(name)).map((v) => v.Version!), ...(await allAliases(name)).map((a) => a.Name!)], [name]);
  const del = useAction();
  const config = fn.data?.Configuration;
  return (
    <>
      <div class="crumbs"><a href={href('/functions')}>Functions</a> › {name}</div>
      <div class="page-head">
        <h1>{name}</h1>
        <Button variant="danger" busy={del.busy} onClick={async () => {
          if (window.confirm(`Delete function ${name}?`) && await del.run(() => lambda().send(new DeleteFunctionCommand({ FunctionName: name })))) navigate('/functions');
        }}>Delete function</Button>
      </div>
      <ErrorNote error={fn.error ?? del.error} />
      {fn.loading && !fn.data && <Loading what="the function" />}
      {config && (
        <Tabs<Tab> label="Function" tabs={TABS} current={tab} onSelect={setTab}>
          {tab === 'code' && <CodeTab fn={config} location={fn.data?.Code} onDeployed={fn.reload} />}
          {tab === 'test' && <TestTab name={name} qualifiers={qualifiers.data ?? []} />}
          {tab === 'configuration' && <ConfigurationTab fn={config} onSaved={fn.reload} />}
          {tab === 'versions' && <VersionsTab name={name} onChanged={qualifiers.reload} />}
          {tab === 'logs' && <Section title="Recent logs"><LogTail group={`/aws/lambda/${name}`} title="Function log" sinceMs={3_600_000} /></Section>}
        </Tabs>
      )}
    </>
  );
}
