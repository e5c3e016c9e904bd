// APIs: the REST APIs of this region (every page of GetRestApis), create, open, delete.
import { DeleteRestApiCommand } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allApis, apigw } from '../apigw/calls.ts';
import { href, pathOf } from '../router.ts';
import { Button, ErrorNote, Loading, Note } from '../ui/controls.tsx';
import { useAction, useAws } from '../ui/use-aws.ts';

export default function ApisPage() {
  const apis = useAws(allApis, []);
  const del = useAction();
  const [filter, setFilter] = useState('');
  const [deleted, setDeleted] = useState<string>();
  const shown = (apis.data ?? []).filter((a) => !filter || `${a.name} ${a.id} ${a.description ?? ''}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <>
      <div class="page-head">
        <h1>APIs</h1>
        <a class="btn primary" href={href('/apis/new')}>Create API</a>
      </div>
      <ErrorNote error={apis.error ?? del.error} />
      {deleted && <Note kind="success">Deleted API {deleted}.</Note>}
      {apis.loading && !apis.data && <Loading what="APIs" />}
      {apis.data && apis.data.length > 0 && (
        <>
          <div class="field">
            <label for="api-filter">Find APIs</label>
            <input id="api-filter" type="search" value={filter} placeholder="Name, ID or description" onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <p class="muted">{shown.length === apis.data.length ? `${apis.data.length} APIs` : `${shown.length} of ${apis.data.length} APIs`}</p>
          <table class="grid" aria-label="APIs">
            <thead><tr><th>Name</th><th>ID</th><th>Endpoint type</th><th>Created</th><th>Description</th><th><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {shown.slice(0, 500).map((api) => (
                <tr key={api.id}>
                  <td><a href={href(pathOf('apis', api.id!, 'resources'))}>{api.name}</a></td>
                  <td class="mono">{api.id}</td>
                  <td>{api.endpointConfiguration?.types?.join(', ')}</td>
                  <td>{api.createdDate?.toLocaleString()}</td>
                  <td>{api.description}</td>
                  <td>
                    <Button variant="danger" aria-label={`Delete ${api.name}`} busy={del.busy} onClick={async () => {
                      if (!window.confirm(`Delete API ${api.name} (${api.id})? Its resources, stages and deployments go with it.`)) return;
                      if (await del.run(() => apigw().send(new DeleteRestApiCommand({ restApiId: api.id! })))) {
                        setDeleted(`${api.name} (${api.id})`);
                        apis.reload();
                      }
                    }}>Delete</Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length > 500 && <p class="muted">The first 500 matches are shown: narrow the search to see others.</p>}
        </>
      )}
      {apis.data?.length === 0 && <p class="muted">No APIs in this region yet.</p>}
    </>
  );
}
