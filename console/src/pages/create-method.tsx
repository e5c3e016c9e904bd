// Create method: the HTTP method and its integration (Mock, Lambda function, HTTP), as the console's first form
// asks them; then the method execution view opens. Non-proxy integrations get the console's defaults: a 200 method
// response with the Empty model and a 200 integration response passing the body through.
import { PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, type IntegrationType } from '@aws-sdk/client-api-gateway';
import { LambdaClient, ListFunctionsCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { useState } from 'preact/hooks';
import { allResources, apigw, emptyResponseModels } from '../apigw/calls.ts';
import { allowApiToInvoke, lambdaUri } from '../apigw/lambda-target.ts';
import { awsClient } from '../aws.ts';
import { everyMarked } from '../ui/paging.ts';
import type { PageProps } from '../routes.tsx';
import { navigate, pathOf } from '../router.ts';
import { Button, Checkbox, ErrorNote, Field, Loading, SelectField, TextField } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

export const HTTP_METHODS = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;
type Kind = 'MOCK' | 'LAMBDA' | 'HTTP';

function allFunctions(): Promise<FunctionConfiguration[]> {
  return everyMarked(async (Marker) => {
    const page = await awsClient(LambdaClient).send(new ListFunctionsCommand({ Marker }));
    return { items: page.Functions, next: page.NextMarker };
  });
}

export default function CreateMethodPage({ params }: PageProps) {
  const apiId = params.apiId!;
  const resourceId = params.resourceId!;
  const resource = useAws(async () => (await allResources(apiId)).find((r) => r.id === resourceId), [apiId, resourceId]);
  const [httpMethod, setHttpMethod] = useState<string>('GET');
  const [kind, setKind] = useState<Kind>('MOCK');
  const [proxy, setProxy] = useState(true);
  const [fn, setFn] = useState('');
  const [url, setUrl] = useState('');
  const [httpTarget, setHttpTarget] = useState<string>('GET');
  const [timeout, setTimeoutMs] = useState('29000');
  const [apiKeyRequired, setApiKeyRequired] = useState(false);
  const functions = useAws(() => (kind === 'LAMBDA' ? allFunctions() : Promise.resolve([])), [kind]);
  const create = useAction();
  const taken = Object.keys(resource.data?.resourceMethods ?? {});

  const submit = async () => {
    const client = apigw();
    const base = { restApiId: apiId, resourceId, httpMethod };
    const type: IntegrationType = kind === 'MOCK' ? 'MOCK' : kind === 'LAMBDA' ? (proxy ? 'AWS_PROXY' : 'AWS') : proxy ? 'HTTP_PROXY' : 'HTTP';
    await client.send(new PutMethodCommand({ ...base, authorizationType: 'NONE', apiKeyRequired }));
    await client.send(new PutIntegrationCommand({
      ...base,
      type,
      integrationHttpMethod: kind === 'MOCK' ? undefined : kind === 'LAMBDA' ? 'POST' : httpTarget,
      uri: kind === 'MOCK' ? undefined : kind === 'LAMBDA' ? lambdaUri(fn) : url,
      requestTemplates: kind === 'MOCK' ? { 'application/json': '{"statusCode": 200}' } : undefined,
      passthroughBehavior: kind === 'MOCK' || !proxy ? 'WHEN_NO_MATCH' : undefined,
      timeoutInMillis: kind === 'MOCK' ? undefined : Number(timeout),
    }));
    await client.send(new PutMethodResponseCommand({ ...base, statusCode: '200', responseModels: await emptyResponseModels(apiId) }));
    if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
      // No response template: the backend's body passes through (an empty template would answer an empty body).
      await client.send(new PutIntegrationResponseCommand({ ...base, statusCode: '200' }));
    }
    if (kind === 'LAMBDA') await allowApiToInvoke(fn, apiId, httpMethod, resource.data?.path ?? '/');
  };

  return (
    <>
      <h1>Create method</h1>
      <ErrorNote error={resource.error} />
      {resource.loading && !resource.data && <Loading />}
      {resource.data && (
        <form class="panel" onSubmit={async (e) => {
          e.preventDefault();
          if (await create.run(submit)) navigate(pathOf('apis', apiId, 'resources', resourceId, 'methods', httpMethod));
        }}>
          <p class="muted">On <code>{resource.data.path}</code></p>
          <SelectField label="Method type" value={httpMethod} options={HTTP_METHODS.filter((m) => !taken.includes(m))} onChange={setHttpMethod} />
          <SelectField<Kind> label="Integration type" value={kind} onChange={setKind}
            options={[['MOCK', 'Mock: responses from API Gateway itself'], ['LAMBDA', 'Lambda function'], ['HTTP', 'HTTP endpoint']]} />
          {kind !== 'MOCK' && <Checkbox label={kind === 'LAMBDA' ? 'Lambda proxy integration' : 'HTTP proxy integration'} checked={proxy} onChange={setProxy} />}
          {kind === 'LAMBDA' && (
            <>
              <Field label="Lambda function" hint="Creating the method also grants this API permission to invoke the function.">
                {(id) => (
                  <select id={id} required value={fn} onChange={(e) => setFn((e.currentTarget as HTMLSelectElement).value)}>
                    <option value="">Choose a function…</option>
                    {(functions.data ?? []).map((f) => <option key={f.FunctionArn} value={f.FunctionArn}>{f.FunctionName}</option>)}
                  </select>
                )}
              </Field>
              <ErrorNote error={functions.error} />
            </>
          )}
          {kind === 'HTTP' && (
            <>
              <SelectField label="HTTP method" value={httpTarget} options={HTTP_METHODS.filter((m) => m !== 'ANY' || proxy)} onChange={setHttpTarget} />
              <TextField label="Endpoint URL" name="uri" type="url" value={url} onInput={setUrl} required placeholder="https://example.com/pets/{petId}" />
            </>
          )}
          {kind !== 'MOCK' && <TextField label="Integration timeout (ms)" type="number" value={timeout} onInput={setTimeoutMs} hint="50 to 29000" />}
          <Checkbox label="API key required" checked={apiKeyRequired} onChange={setApiKeyRequired} />
          <ErrorNote error={create.error} />
          <Button type="submit" variant="primary" busy={create.busy}>Create method</Button>
        </form>
      )}
    </>
  );
}
