// Method execution: the four boxes of the API Gateway console (method request → integration request → backend →
// integration response → method response), each opening its editor, plus Test and delete. The tab is in the URL
// (`?tab=test`) so a view can be bookmarked.
import { DeleteMethodCommand, GetMethodCommand, type Method } from '@aws-sdk/client-api-gateway';
import { allResources, apigw } from '../apigw/calls.ts';
import { functionOfUri } from '../apigw/lambda-target.ts';
import { IntegrationRequestEditor } from '../method/integration-request.tsx';
import { IntegrationResponsesEditor } from '../method/integration-response.tsx';
import { MethodRequestEditor } from '../method/method-request.tsx';
import { MethodResponsesEditor } from '../method/method-response.tsx';
import { TestPanel } from '../method/test-panel.tsx';
import type { PageProps } from '../routes.tsx';
import { hashQuery, href, navigate, pathOf } from '../router.ts';
import { Button, ErrorNote, Loading } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

const TABS = [['overview', 'Overview'], ['method-request', 'Method request'], ['integration-request', 'Integration request'], ['integration-response', 'Integration response'], ['method-response', 'Method response'], ['test', 'Test']] as const;
type Tab = (typeof TABS)[number][0];

function target(m: Method): string {
  const i = m.methodIntegration;
  if (!i) return 'No integration';
  if (i.type === 'MOCK') return 'Mock';
  const fn = functionOfUri(i.uri);
  if (fn) return `Lambda ${fn.split(':').slice(6).join(':')}${i.type === 'AWS_PROXY' ? ' (proxy)' : ''}`;
  return `${i.type} ${i.httpMethod ?? ''} ${i.uri ?? ''}`;
}

function Overview(props: { method: Method; link(tab: Tab): string }) {
  const m = props.method;
  const i = m.methodIntegration;
  const params = Object.keys(m.requestParameters ?? {});
  return (
    <div class="boxes" aria-label="Method execution">
      <a class="panel box" href={props.link('method-request')}>
        <h2>Method request</h2>
        <dl class="kv">
          <dt>Authorization</dt><dd>{m.authorizationType}{m.authorizerId ? ` (${m.authorizerId})` : ''}</dd>
          <dt>API key required</dt><dd>{m.apiKeyRequired ? 'True' : 'False'}</dd>
          <dt>Request validator</dt><dd>{m.requestValidatorId ?? 'None'}</dd>
          <dt>Parameters</dt><dd>{params.length ? params.map((p) => p.replace('method.request.', '')).join(', ') : 'None'}</dd>
        </dl>
      </a>
      <a class="panel box" href={props.link('integration-request')}>
        <h2>Integration request</h2>
        <dl class="kv">
          <dt>Type</dt><dd>{i?.type ?? 'None'}</dd>
          <dt>Target</dt><dd>{target(m)}</dd>
          <dt>Templates</dt><dd>{Object.keys(i?.requestTemplates ?? {}).join(', ') || 'None'}</dd>
        </dl>
      </a>
      <a class="panel box" href={props.link('method-response')}>
        <h2>Method response</h2>
        <dl class="kv"><dt>Status codes</dt><dd>{Object.keys(m.methodResponses ?? {}).join(', ') || 'None'}</dd></dl>
      </a>
      <a class="panel box" href={props.link('integration-response')}>
        <h2>Integration response</h2>
        <dl class="kv">
          <dt>Responses</dt>
          <dd>{i?.type === 'AWS_PROXY' || i?.type === 'HTTP_PROXY' ? 'Proxy: passed through' : Object.values(i?.integrationResponses ?? {}).map((r) => `${r.statusCode}${r.selectionPattern ? ` /${r.selectionPattern}/` : ' (default)'}`).join(', ') || 'None'}</dd>
        </dl>
      </a>
    </div>
  );
}

export default function MethodPage({ params }: PageProps) {
  const { apiId, resourceId, httpMethod } = params as { apiId: string; resourceId: string; httpMethod: string };
  const data = useAws(async () => {
    const [method, resources] = await Promise.all([
      apigw().send(new GetMethodCommand({ restApiId: apiId, resourceId, httpMethod })),
      allResources(apiId),
    ]);
    return { method, path: resources.find((r) => r.id === resourceId)?.path ?? '/' };
  }, [apiId, resourceId, httpMethod]);
  const del = useAction();
  const tab = (hashQuery().get('tab') ?? 'overview') as Tab;
  const here = pathOf('apis', apiId, 'resources', resourceId, 'methods', httpMethod);
  const link = (t: Tab) => href(t === 'overview' ? here : `${here}?tab=${t}`);
  const d = data.data;
  return (
    <>
      <div class="crumbs"><a href={href(pathOf('apis', apiId, 'resources', resourceId))}>Resources</a> / {d?.path}</div>
      <div class="page-head">
        <h1>{httpMethod} {d?.path ?? ''}</h1>
        <Button variant="danger" busy={del.busy} onClick={async () => {
          if (!window.confirm(`Delete method ${httpMethod} ${d?.path ?? ''}?`)) return;
          if (await del.run(() => apigw().send(new DeleteMethodCommand({ restApiId: apiId, resourceId, httpMethod })))) navigate(pathOf('apis', apiId, 'resources', resourceId));
        }}>Delete method</Button>
      </div>
      <ErrorNote error={data.error ?? del.error} />
      {data.loading && !d && <Loading what="the method" />}
      {d && (
        <>
          <nav class="tabs" aria-label="Method execution">
            {TABS.map(([t, label]) => <a key={t} class="tab" href={link(t)} aria-current={t === tab ? 'page' : undefined}>{label}</a>)}
          </nav>
          {tab === 'overview' && <Overview method={d.method} link={link} />}
          {tab === 'method-request' && <MethodRequestEditor apiId={apiId} resourceId={resourceId} method={d.method} onSaved={data.reload} />}
          {tab === 'integration-request' && <IntegrationRequestEditor apiId={apiId} resourceId={resourceId} httpMethod={httpMethod} path={d.path} integration={d.method.methodIntegration} onSaved={data.reload} />}
          {tab === 'integration-response' && <IntegrationResponsesEditor apiId={apiId} resourceId={resourceId} method={d.method} onSaved={data.reload} />}
          {tab === 'method-response' && <MethodResponsesEditor apiId={apiId} resourceId={resourceId} method={d.method} onSaved={data.reload} />}
          {tab === 'test' && <TestPanel apiId={apiId} resourceId={resourceId} httpMethod={httpMethod} path={d.path} />}
        </>
      )}
    </>
  );
}
