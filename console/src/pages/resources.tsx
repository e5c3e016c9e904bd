// Resources: the API's resource tree with its methods; create a child resource ({param}, {proxy+}, CORS), enable
// CORS, delete, and open a method's execution view or create one.
import { CreateResourceCommand, DeleteResourceCommand, type Resource } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allResources, apigw } from '../apigw/calls.ts';
import { DEFAULT_ALLOW_HEADERS, enableCors } from '../apigw/cors.ts';
import type { PageProps } from '../routes.tsx';
import { href, navigate, pathOf } from '../router.ts';
import { Button, Checkbox, ErrorNote, Loading, Note, Section, TextField } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

const METHOD_ORDER = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

function Tree(props: { apiId: string; resources: Resource[]; selected?: string }) {
  const children = new Map<string, Resource[]>();
  for (const r of props.resources) if (r.parentId) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);
  const root = props.resources.find((r) => !r.parentId);
  const node = (r: Resource) => (
    <li key={r.id}>
      <a href={href(pathOf('apis', props.apiId, 'resources', r.id!))} aria-current={r.id === props.selected ? 'true' : undefined}>{r.parentId ? `/${r.pathPart}` : '/'}</a>
      {Object.keys(r.resourceMethods ?? {}).sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b)).map((m) => (
        <div key={m}><a class="method mono" href={href(pathOf('apis', props.apiId, 'resources', r.id!, 'methods', m))}>{m}</a></div>
      ))}
      {children.has(r.id!) && <ul class="tree">{children.get(r.id!)!.map(node)}</ul>}
    </li>
  );
  return root ? <ul class="tree" aria-label="Resources" style={{ paddingLeft: 0 }}>{node(root)}</ul> : null;
}

function CreateResource(props: { apiId: string; parent: Resource; onDone(r: Resource): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [proxy, setProxy] = useState(false);
  const [cors, setCors] = useState(false);
  const create = useAction();
  const pathPart = proxy ? '{proxy+}' : name.trim();
  return (
    <Section title="Create resource">
      <form onSubmit={async (e) => {
        e.preventDefault();
        let made: Resource | undefined;
        if (await create.run(async () => {
          made = await apigw().send(new CreateResourceCommand({ restApiId: props.apiId, parentId: props.parent.id!, pathPart }));
          if (cors) await enableCors(props.apiId, made, { allowOrigin: '*', allowHeaders: DEFAULT_ALLOW_HEADERS, allowMethods: [] });
        })) props.onDone(made!);
      }}>
        <p class="muted">Under <code>{props.parent.path}</code></p>
        <Checkbox label="Proxy resource ({proxy+}: every path below, one method ANY)" checked={proxy} onChange={setProxy} />
        {!proxy && <TextField label="Resource name" name="pathPart" value={name} onInput={setName} required placeholder="pets or {petId}"
          hint="A path part; in braces it is a path parameter, e.g. {petId}." />}
        <Checkbox label="CORS (an OPTIONS method answering preflights with Access-Control-Allow-Origin: *)" checked={cors} onChange={setCors} />
        <ErrorNote error={create.error} />
        <div class="actions">
          <Button type="submit" variant="primary" busy={create.busy} disabled={!pathPart}>Create resource</Button>
          <Button onClick={props.onCancel}>Cancel</Button>
        </div>
      </form>
    </Section>
  );
}

function CorsForm(props: { apiId: string; resource: Resource; onDone(note: string): void; onCancel(): void }) {
  const methods = Object.keys(props.resource.resourceMethods ?? {}).filter((m) => m !== 'OPTIONS');
  const [origin, setOrigin] = useState('*');
  const [headers, setHeaders] = useState(DEFAULT_ALLOW_HEADERS);
  const run = useAction();
  return (
    <Section title={`Enable CORS on ${props.resource.path}`}>
      <form onSubmit={async (e) => {
        e.preventDefault();
        let proxied: string[] = [];
        if (await run.run(async () => { proxied = await enableCors(props.apiId, props.resource, { allowOrigin: origin, allowHeaders: headers }); })) {
          props.onDone(`CORS enabled on ${props.resource.path} (OPTIONS answers for ${[...methods, 'OPTIONS'].join(', ')}).` +
            (proxied.length ? ` ${proxied.join(', ')} use a proxy integration: their backend must send Access-Control-Allow-Origin itself.` : '') + ' Deploy the API for it to take effect.');
        }
      }}>
        <TextField label="Access-Control-Allow-Origin" value={origin} onInput={setOrigin} required />
        <TextField label="Access-Control-Allow-Headers" value={headers} onInput={setHeaders} required />
        <p class="muted">Access-Control-Allow-Methods: {[...methods, 'OPTIONS'].join(',')}</p>
        <ErrorNote error={run.error} />
        <div class="actions">
          <Button type="submit" variant="primary" busy={run.busy}>Save CORS</Button>
          <Button onClick={props.onCancel}>Cancel</Button>
        </div>
      </form>
    </Section>
  );
}

export default function ResourcesPage({ params }: PageProps) {
  const apiId = params.apiId!;
  const resources = useAws(() => allResources(apiId), [apiId]);
  const [panel, setPanel] = useState<'create' | 'cors'>();
  const [note, setNote] = useState<string>();
  const del = useAction();
  const selected = resources.data?.find((r) => r.id === params.resourceId) ?? resources.data?.find((r) => !r.parentId);
  return (
    <>
      <div class="page-head"><h1>Resources</h1></div>
      <ErrorNote error={resources.error ?? del.error} />
      {note && <Note kind="success">{note}</Note>}
      {resources.loading && !resources.data && <Loading what="resources" />}
      {resources.data && selected && (
        <div class="split">
          <nav class="panel" aria-label="Resource tree"><Tree apiId={apiId} resources={resources.data} selected={selected.id} /></nav>
          <div>
            {panel === 'create' && <CreateResource apiId={apiId} parent={selected} onCancel={() => setPanel(undefined)} onDone={(r) => {
              setPanel(undefined);
              setNote(`Created ${r.path}.`);
              resources.reload();
              navigate(pathOf('apis', apiId, 'resources', r.id!));
            }} />}
            {panel === 'cors' && <CorsForm apiId={apiId} resource={selected} onCancel={() => setPanel(undefined)} onDone={(n) => { setPanel(undefined); setNote(n); resources.reload(); }} />}
            <Section title={`Resource ${selected.path}`} actions={
              <>
                <Button onClick={() => { setNote(undefined); setPanel('create'); }}>Create resource</Button>
                <a class="btn primary" href={href(pathOf('apis', apiId, 'resources', selected.id!, 'create-method'))}>Create method</a>
                <Button onClick={() => { setNote(undefined); setPanel('cors'); }}>Enable CORS</Button>
                {selected.parentId && <Button variant="danger" busy={del.busy} onClick={async () => {
                  if (!window.confirm(`Delete ${selected.path} with its methods and child resources?`)) return;
                  if (await del.run(() => apigw().send(new DeleteResourceCommand({ restApiId: apiId, resourceId: selected.id! })))) {
                    setNote(`Deleted ${selected.path}.`);
                    resources.reload();
                    navigate(pathOf('apis', apiId, 'resources', selected.parentId!));
                  }
                }}>Delete resource</Button>}
              </>
            }>
              <dl class="kv"><dt>Resource ID</dt><dd class="mono">{selected.id}</dd><dt>Path</dt><dd class="mono">{selected.path}</dd></dl>
              <h3>Methods</h3>
              {Object.keys(selected.resourceMethods ?? {}).length === 0 ? <p class="muted">No methods yet.</p> : (
                <table class="grid" aria-label="Methods">
                  <thead><tr><th>Method</th><th>Integration</th><th>Authorization</th><th>API key</th></tr></thead>
                  <tbody>
                    {Object.entries(selected.resourceMethods ?? {}).map(([m, method]) => (
                      <tr key={m}>
                        <td><a class="mono" href={href(pathOf('apis', apiId, 'resources', selected.id!, 'methods', m))}>{m}</a></td>
                        <td>{method.methodIntegration?.type ?? <span class="muted">none</span>}</td>
                        <td>{method.authorizationType}</td>
                        <td>{method.apiKeyRequired ? 'Required' : 'Not required'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
          </div>
        </div>
      )}
    </>
  );
}
