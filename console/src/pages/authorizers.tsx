// An API's authorizers: the list (GetAuthorizers), create a Lambda (TOKEN or REQUEST) or Cognito user pool
// authorizer, delete one, and Test it with TestInvokeAuthorizer (the token or the request's headers, query string
// and stage variables in; the status, principal, policy, claims and log out), as the AWS console's Test does.
import {
  CreateAuthorizerCommand, DeleteAuthorizerCommand, GetAuthorizersCommand, TestInvokeAuthorizerCommand,
  type Authorizer, type AuthorizerType, type TestInvokeAuthorizerResponse,
} from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { accountOf, region } from '../apigw/calls.ts';
import { lambdaUri } from '../apigw/lambda-target.ts';
import { apigw, linesToMap } from '../apigw-features/calls.ts';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { allFunctions, lambda as lambdaClient } from '../functions/calls.ts';
import type { PageProps } from '../routes.tsx';
import { Button, Checkbox, ErrorNote, Loading, Section, SelectField, TextArea, TextField } from '../ui/controls.tsx';
import { prettyJson } from '../ui/json.ts';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

const TYPES = [['TOKEN', 'Lambda (token)'], ['REQUEST', 'Lambda (request parameters)'], ['COGNITO_USER_POOLS', 'Cognito user pool']] as const;

/**
 * Lets this API's authorizer invoke the function (the resource policy statement the AWS console adds when it creates
 * a Lambda authorizer): without it the authorizer fails with "Invalid permissions on Lambda function".
 */
async function grantInvoke(functionArn: string, apiId: string, authorizerId: string): Promise<void> {
  await lambdaClient().send(new AddPermissionCommand({
    FunctionName: functionArn, StatementId: `apigateway-${apiId}-authorizer-${authorizerId}`, Action: 'lambda:InvokeFunction',
    Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${region()}:${accountOf(functionArn) ?? '*'}:${apiId}/authorizers/${authorizerId}`,
  }));
}

function CreateAuthorizer(props: { apiId: string; onCreated(): void }) {
  const fns = useAws(allFunctions, []);
  const [name, setName] = useState('');
  const [type, setType] = useState<AuthorizerType>('TOKEN');
  const [fn, setFn] = useState('');
  const [identitySource, setIdentitySource] = useState('method.request.header.Authorization');
  const [validation, setValidation] = useState('');
  const [ttl, setTtl] = useState('300');
  const [pools, setPools] = useState('');
  const [grant, setGrant] = useState(true);
  const action = useAction();
  const lambda = type !== 'COGNITO_USER_POOLS';
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      const ok = await action.run(async () => {
        const created = await apigw().send(new CreateAuthorizerCommand({
          restApiId: props.apiId, name, type,
          authorizerUri: lambda && fn ? lambdaUri(fn) : undefined,
          providerARNs: lambda ? undefined : pools.split(/[\s,]+/).filter(Boolean),
          identitySource: identitySource || undefined,
          identityValidationExpression: validation || undefined,
          authorizerResultTtlInSeconds: ttl === '' ? undefined : Number(ttl),
        }));
        if (lambda && fn && grant) await grantInvoke(fn, props.apiId, created.id!);
      });
      if (ok) props.onCreated();
    }}>
      <div class="row">
        <TextField label="Authorizer name" name="name" value={name} onInput={setName} />
        <SelectField<AuthorizerType> label="Authorizer type" value={type} options={TYPES} onChange={setType} />
      </div>
      {lambda
        ? <SelectField label="Lambda function" value={fn} options={[['', fns.loading ? 'Loading functions…' : 'Choose a function'] as const, ...(fns.data ?? []).map((f) => [f.FunctionArn!, f.FunctionName!] as const)]} onChange={setFn} />
        : <TextField label="Cognito user pool ARNs" name="providerARNs" value={pools} onInput={setPools} hint="One or more, separated by spaces or commas." />}
      <ErrorNote error={fns.error} />
      <TextField label="Identity source" name="identitySource" value={identitySource} onInput={setIdentitySource}
        hint={type === 'REQUEST' ? 'Comma-separated: method.request.header.X, method.request.querystring.y, stageVariables.z, context.w' : 'The header holding the token.'} />
      <div class="row">
        {type !== 'REQUEST' && <TextField label="Token validation (regular expression)" name="identityValidationExpression" value={validation} onInput={setValidation} />}
        {lambda && <TextField label="Authorization caching TTL (seconds)" name="ttl" type="number" value={ttl} onInput={setTtl} hint="0 turns caching off." />}
      </div>
      {lambda && <Checkbox label="Grant API Gateway permission to invoke the function (lambda:AddPermission)" checked={grant} onChange={setGrant} />}
      <ErrorNote error={action.error} />
      <Button type="submit" variant="primary" busy={action.busy}>Create authorizer</Button>
    </form>
  );
}

function TestAuthorizer(props: { apiId: string; authorizer: Authorizer }) {
  const a = props.authorizer;
  const tokenHeader = /^method\.request\.header\.(.+)$/.exec(a.identitySource ?? '')?.[1] ?? 'Authorization';
  const [token, setToken] = useState('');
  const [headers, setHeaders] = useState('');
  const [query, setQuery] = useState('');
  const [stageVariables, setStageVariables] = useState('');
  const [out, setOut] = useState<TestInvokeAuthorizerResponse>();
  const action = useAction();
  const run = async (e: Event) => {
    e.preventDefault();
    setOut(undefined);
    await action.run(async () => {
      const hdrs = a.type === 'REQUEST' ? linesToMap(headers) : { [tokenHeader]: token };
      setOut(await apigw().send(new TestInvokeAuthorizerCommand({
        restApiId: props.apiId, authorizerId: a.id, headers: hdrs,
        pathWithQueryString: query ? `/?${query.replace(/^\?/, '')}` : undefined,
        stageVariables: stageVariables ? linesToMap(stageVariables) : undefined,
      })));
    });
  };
  return (
    <form onSubmit={run} class="inline-form" aria-label={`Test ${a.name}`}>
      <h3>Test {a.name}</h3>
      {a.type === 'REQUEST'
        ? (
          <>
            <TextArea label="Headers" name="headers" rows={3} code value={headers} onInput={setHeaders} hint="One Name: value a line." />
            <TextField label="Query string" name="query" value={query} onInput={setQuery} placeholder="a=1&b=2" />
            <TextArea label="Stage variables" name="stageVariables" rows={2} code value={stageVariables} onInput={setStageVariables} hint="One name: value a line." />
          </>
        )
        : <TextField label={`${tokenHeader} (token)`} name="token" value={token} onInput={setToken} />}
      <Button type="submit" variant="primary" busy={action.busy}>Test authorizer</Button>
      <ErrorNote error={action.error} />
      {out && (
        <div role="region" aria-label="Authorizer test result">
          <dl class="kv">
            <dt>Response code</dt><dd class={out.clientStatus === 200 ? 'status-ok' : 'status-bad'}>{out.clientStatus}</dd>
            <dt>Latency</dt><dd>{out.latency} ms</dd>
            {out.principalId !== undefined && <><dt>Principal ID</dt><dd>{out.principalId}</dd></>}
          </dl>
          {out.policy && <><h3>Policy</h3><pre aria-label="Policy">{prettyJson(out.policy)}</pre></>}
          {out.claims && <><h3>Claims</h3><pre aria-label="Claims">{JSON.stringify(out.claims, null, 2)}</pre></>}
          {out.authorization && <><h3>Context</h3><pre>{JSON.stringify(out.authorization, null, 2)}</pre></>}
          <h3>Logs</h3>
          <pre aria-label="Authorizer test log">{out.log}</pre>
        </div>
      )}
    </form>
  );
}


export default function AuthorizersPage(props: PageProps) {
  const apiId = props.params.apiId!;
  const list = useAws(() => everyItem((position) => apigw().send(new GetAuthorizersCommand({ restApiId: apiId, limit: 500, position }))), [apiId]);
  const [creating, setCreating] = useState(false);
  const [testing, setTesting] = useState<string>();
  const action = useAction();
  return (
    <>
      <div class="page-head">
        <h1>Authorizers</h1>
        <Button variant="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>Create authorizer</Button>
      </div>
      {creating && <Section title="Create authorizer"><CreateAuthorizer apiId={apiId} onCreated={() => { setCreating(false); list.reload(); }} /></Section>}
      <ErrorNote error={list.error ?? action.error} />
      {list.loading && !list.data && <Loading what="authorizers" />}
      {list.data?.map((a) => (
        <Section key={a.id} title={a.name ?? a.id!} actions={<>
          <Button aria-expanded={testing === a.id} onClick={() => setTesting(testing === a.id ? undefined : a.id)}>Test</Button>
          <Button variant="danger" aria-label={`Delete authorizer ${a.name}`} onClick={async () => {
            if (window.confirm(`Delete authorizer ${a.name}?`) && await action.run(() => apigw().send(new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: a.id })))) list.reload();
          }}>Delete</Button>
        </>}>
          <dl class="kv">
            <dt>Authorizer ID</dt><dd class="mono">{a.id}</dd>
            <dt>Type</dt><dd>{a.type}</dd>
            {a.authorizerUri && <><dt>Lambda invocation URI</dt><dd class="mono">{a.authorizerUri}</dd></>}
            {a.providerARNs && <><dt>User pools</dt><dd class="mono">{a.providerARNs.join(', ')}</dd></>}
            <dt>Identity source</dt><dd class="mono">{a.identitySource}</dd>
            {a.identityValidationExpression && <><dt>Token validation</dt><dd class="mono">{a.identityValidationExpression}</dd></>}
            {a.type !== 'COGNITO_USER_POOLS' && <><dt>Caching TTL</dt><dd>{a.authorizerResultTtlInSeconds ?? 300} s</dd></>}
          </dl>
          {testing === a.id && <TestAuthorizer apiId={apiId} authorizer={a} />}
        </Section>
      ))}
      {list.data?.length === 0 && <p class="muted">No authorizers for this API yet.</p>}
    </>
  );
}
