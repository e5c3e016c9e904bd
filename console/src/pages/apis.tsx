// APIs: the REST APIs of this region (GetRestApis, every page of it), with links into each.
import { APIGatewayClient, GetRestApisCommand, type RestApi } from '@aws-sdk/client-api-gateway';
import { awsClient } from '../aws.ts';
import { href, pathOf } from '../router.ts';
import { ErrorNote, Loading } from '../ui/controls.tsx';
import { useAws } from '../ui/use-aws.ts';

async function allApis(): Promise<RestApi[]> {
  const client = awsClient(APIGatewayClient);
  const out: RestApi[] = [];
  let position: string | undefined;
  do {
    const page = await client.send(new GetRestApisCommand({ limit: 500, position }));
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

export default function ApisPage() {
  const apis = useAws(allApis, []);
  return (
    <>
      <div class="page-head"><h1>APIs</h1></div>
      <ErrorNote error={apis.error} />
      {apis.loading && !apis.data && <Loading what="APIs" />}
      {apis.data && (
        <table class="grid" aria-label="APIs">
          <thead><tr><th>Name</th><th>ID</th><th>Endpoint type</th><th>Created</th><th>Description</th></tr></thead>
          <tbody>
            {apis.data.map((api) => (
              <tr key={api.id}>
                <td><a href={href(pathOf('apis', api.id!, 'resources'))}>{api.name}</a></td>
                <td class="mono">{api.id}</td>
                <td>{api.endpointConfiguration?.types?.join(', ')}</td>
                <td>{api.createdDate?.toLocaleString()}</td>
                <td>{api.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {apis.data?.length === 0 && <p class="muted">No APIs in this region yet.</p>}
    </>
  );
}
