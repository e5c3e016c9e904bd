// API settings: name, description, endpoint type, binary media types, payload compression, API key source and the
// default execute-api endpoint, saved with one UpdateRestApi of the changed fields.
import { UpdateRestApiCommand, type PatchOperation, type RestApi } from '@aws-sdk/client-api-gateway';
import { useEffect, useState } from 'preact/hooks';
import { apigw, getApi, pointer, replaceIfChanged } from '../apigw/calls.ts';
import type { PageProps } from '../routes.tsx';
import { Button, Checkbox, ErrorNote, Loading, Note, Section, SelectField, TextField } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

interface Form {
  name: string;
  description: string;
  endpointType: string;
  binaryMediaTypes: string;
  compression: boolean;
  minimumCompressionSize: string;
  apiKeySource: string;
  disableExecuteApiEndpoint: boolean;
}

function formOf(api: RestApi): Form {
  return {
    name: api.name ?? '',
    description: api.description ?? '',
    endpointType: api.endpointConfiguration?.types?.[0] ?? 'EDGE',
    binaryMediaTypes: (api.binaryMediaTypes ?? []).join('\n'),
    compression: api.minimumCompressionSize !== undefined,
    minimumCompressionSize: String(api.minimumCompressionSize ?? 0),
    apiKeySource: api.apiKeySource ?? 'HEADER',
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
  };
}

/** The patch operations from the stored API to the form. */
export function settingsPatch(api: RestApi, f: Form): PatchOperation[] {
  const ops: PatchOperation[] = [
    ...replaceIfChanged('/name', api.name, f.name),
    ...replaceIfChanged('/description', api.description, f.description),
    ...replaceIfChanged('/apiKeySource', api.apiKeySource ?? 'HEADER', f.apiKeySource),
  ];
  if ((api.endpointConfiguration?.types?.[0] ?? 'EDGE') !== f.endpointType) ops.push({ op: 'replace', path: '/endpointConfiguration/types/0', value: f.endpointType });
  const before = new Set(api.binaryMediaTypes ?? []);
  const after = new Set(f.binaryMediaTypes.split(/[\n,]/).map((t) => t.trim()).filter(Boolean));
  for (const t of before) if (!after.has(t)) ops.push({ op: 'remove', path: `/binaryMediaTypes/${pointer(t)}` });
  for (const t of after) if (!before.has(t)) ops.push({ op: 'add', path: `/binaryMediaTypes/${pointer(t)}` });
  const size = f.compression ? f.minimumCompressionSize.trim() : '';
  if (size !== (api.minimumCompressionSize === undefined ? '' : String(api.minimumCompressionSize))) ops.push({ op: 'replace', path: '/minimumCompressionSize', value: size });
  if ((api.disableExecuteApiEndpoint ?? false) !== f.disableExecuteApiEndpoint) ops.push({ op: 'replace', path: '/disableExecuteApiEndpoint', value: String(f.disableExecuteApiEndpoint) });
  return ops;
}

export default function ApiSettingsPage({ params }: PageProps) {
  const api = useAws(() => getApi(params.apiId!), [params.apiId]);
  const [form, setForm] = useState<Form>();
  const save = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (api.data) setForm(formOf(api.data));
  }, [api.data]);
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setSaved(false);
    setForm((f) => f && { ...f, [k]: v });
  };
  return (
    <>
      <h1>API settings</h1>
      <ErrorNote error={api.error} />
      {!form && !api.error && <Loading />}
      {form && api.data && (
        <form onSubmit={async (e) => {
          e.preventDefault();
          const ops = settingsPatch(api.data!, form);
          if (!ops.length) return setSaved(true);
          if (await save.run(() => apigw().send(new UpdateRestApiCommand({ restApiId: params.apiId!, patchOperations: ops })))) {
            setSaved(true);
            api.reload();
          }
        }}>
          <Section title="API details">
            <TextField label="API name" name="name" value={form.name} onInput={set('name')} required />
            <TextField label="Description" name="description" value={form.description} onInput={set('description')} />
            <SelectField label="API endpoint type" value={form.endpointType} options={[['REGIONAL', 'Regional'], ['EDGE', 'Edge-optimized'], ['PRIVATE', 'Private']]} onChange={set('endpointType')} />
            <SelectField label="API key source" value={form.apiKeySource} options={['HEADER', 'AUTHORIZER']} onChange={set('apiKeySource')}
              hint="HEADER: the X-API-Key header; AUTHORIZER: the usageIdentifierKey a Lambda authorizer returns." />
            <Checkbox label="Disable the default execute-api endpoint" checked={form.disableExecuteApiEndpoint} onChange={set('disableExecuteApiEndpoint')} />
          </Section>
          <Section title="Binary media types">
            <label class="sr-only" for="binary-types">Binary media types</label>
            <textarea id="binary-types" class="code" rows={4} value={form.binaryMediaTypes} placeholder="image/png&#10;*/*"
              onInput={(e) => set('binaryMediaTypes')((e.currentTarget as HTMLTextAreaElement).value)} />
            <p class="hint">One media type per line; payloads of these types pass through as binary.</p>
          </Section>
          <Section title="Payload compression">
            <Checkbox label="Compress responses" checked={form.compression} onChange={set('compression')} />
            {form.compression && <TextField label="Minimum body size (bytes)" type="number" value={form.minimumCompressionSize} onInput={set('minimumCompressionSize')} hint="0 to 10485760" />}
          </Section>
          <ErrorNote error={save.error} />
          {saved && <Note kind="success">Settings saved.</Note>}
          <Button type="submit" variant="primary" busy={save.busy}>Save changes</Button>
        </form>
      )}
    </>
  );
}
