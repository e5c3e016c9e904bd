// Create an API as the console offers it: a new API, a clone of an existing one (cloneFrom), or an import of an
// OpenAPI / Swagger file (ImportRestApi, JSON or YAML).
import { CreateRestApiCommand, ImportRestApiCommand, type EndpointType, type RestApi } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allApis, apigw } from '../apigw/calls.ts';
import { navigate, pathOf } from '../router.ts';
import { Button, Checkbox, ErrorNote, Field, Note, SelectField, TextArea, TextField } from '../ui/controls.tsx';
import { Tabs } from '../ui/tabs.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

type Mode = 'new' | 'clone' | 'import';
const ENDPOINT_TYPES = [['REGIONAL', 'Regional'], ['EDGE', 'Edge-optimized'], ['PRIVATE', 'Private']] as const;

function opened(api: RestApi) {
  navigate(pathOf('apis', api.id!, 'resources'));
}

function NewApi(props: { clone: boolean }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [endpointType, setEndpointType] = useState<EndpointType>('REGIONAL');
  const [source, setSource] = useState('');
  const apis = useAws(() => (props.clone ? allApis() : Promise.resolve([])), [props.clone]);
  const create = useAction();
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      let made: RestApi | undefined;
      if (await create.run(async () => {
        made = await apigw().send(new CreateRestApiCommand({ name, description: description || undefined, endpointConfiguration: { types: [endpointType] }, cloneFrom: props.clone ? source : undefined }));
      })) opened(made!);
    }}>
      {props.clone && (
        <Field label="API to clone">
          {(id) => (
            <select id={id} value={source} required onChange={(e) => setSource((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">Choose an API…</option>
              {(apis.data ?? []).map((a) => <option key={a.id} value={a.id}>{a.name} ({a.id})</option>)}
            </select>
          )}
        </Field>
      )}
      <ErrorNote error={apis.error} />
      <TextField label="API name" name="name" value={name} onInput={setName} required />
      <TextField label="Description" name="description" value={description} onInput={setDescription} />
      <SelectField<EndpointType> label="API endpoint type" value={endpointType} options={ENDPOINT_TYPES} onChange={setEndpointType} />
      <ErrorNote error={create.error} />
      <Button type="submit" variant="primary" busy={create.busy}>{props.clone ? 'Clone API' : 'Create API'}</Button>
    </form>
  );
}

function ImportApi() {
  const [body, setBody] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [failOnWarnings, setFailOnWarnings] = useState(false);
  const [endpointType, setEndpointType] = useState<EndpointType>('REGIONAL');
  const [warnings, setWarnings] = useState<string[]>([]);
  const create = useAction();
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      let made: RestApi | undefined;
      if (await create.run(async () => {
        made = await apigw().send(new ImportRestApiCommand({ body: new TextEncoder().encode(body), failOnWarnings, parameters: { endpointConfigurationTypes: endpointType } }));
      })) {
        setWarnings(made!.warnings ?? []);
        if (!made!.warnings?.length) opened(made!);
      }
    }}>
      <Field label="OpenAPI or Swagger file (JSON or YAML)">
        {(id) => (
          <input id={id} type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" onChange={async (e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0];
            if (!file) return;
            setFileName(file.name);
            setBody(await file.text());
          }} />
        )}
      </Field>
      <TextArea label={fileName ? `Definition (from ${fileName})` : 'Definition'} value={body} onInput={setBody} rows={16} code
        hint="Paste a definition or choose a file; x-amazon-apigateway-* extensions are read as API Gateway reads them." />
      <SelectField<EndpointType> label="API endpoint type" value={endpointType} options={ENDPOINT_TYPES} onChange={setEndpointType} />
      <Checkbox label="Fail on warnings" checked={failOnWarnings} onChange={setFailOnWarnings} />
      <ErrorNote error={create.error} />
      {warnings.length > 0 && <Note kind="warn">Imported with warnings: {warnings.join('; ')}</Note>}
      <Button type="submit" variant="primary" busy={create.busy} disabled={!body.trim()}>Import API</Button>
    </form>
  );
}

export default function CreateApiPage() {
  const [mode, setMode] = useState<Mode>('new');
  const tabs = [['new', 'New API'], ['clone', 'Clone existing API'], ['import', 'Import API']] as const;
  return (
    <>
      <h1>Create API</h1>
      <div class="panel">
        <Tabs<Mode> label="How to create" tabs={tabs} current={mode} onSelect={setMode}>
          {mode === 'import' ? <ImportApi /> : <NewApi key={mode} clone={mode === 'clone'} />}
        </Tabs>
      </div>
    </>
  );
}
