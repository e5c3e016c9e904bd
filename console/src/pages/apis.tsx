// APIs: the REST APIs of this region, searchable, shown 50 to a page as the AWS console does (rendering hundreds of
// rows at once is what made the first view slow with 1,000 APIs); the first rows show as soon as GetRestApis's first
// page (of 50) arrives, while the others load. Create, open, delete. This view comes with the console's entry
// (routes.tsx): it is the first one a user sees.
import { DeleteRestApiCommand, GetRestApisCommand, type RestApi } from '@aws-sdk/client-api-gateway';
import { useEffect, useState } from 'preact/hooks';
import { awsMessage } from '../aws.ts';
import { apigw } from '../apigw/calls.ts';
import { href, pathOf } from '../router.ts';
import { Button, ErrorNote, Loading, Note } from '../ui/controls.tsx';
import { formatDate } from '../ui/format.ts';
import { useAction } from '../ui/use-aws.ts';

const PAGE = 50;

interface ListState {
  data?: RestApi[];
  complete: boolean;
  error?: string;
}

/**
 * Every API, page by page. `report` gets the first page (the rows show at once) and then the whole list; the pages
 * between are not rendered, so no render sits between one GetRestApis answer and the next call.
 */
function listApis(report: (s: ListState) => void): () => void {
  let live = true;
  const items: RestApi[] = [];
  (async () => {
    let position: string | undefined;
    do {
      // The first call asks for one screenful only: the SDK takes about 0.15 ms an item to read a page (more
      // before the JIT warms up), so 50 items show in a fraction of the time 500 take; then 500 a call (the maximum).
      const page = await apigw().send(new GetRestApisCommand({ limit: items.length ? 500 : PAGE, position }));
      const first = items.length === 0;
      items.push(...(page.items ?? []));
      position = page.position;
      if (live && (first || !position)) report({ data: [...items], complete: !position });
    } while (position && live);
  })().catch((err: unknown) => live && report({ data: items.length ? [...items] : undefined, error: awsMessage(err), complete: true }));
  return () => { live = false; };
}

/** A listing started before the view first renders, kept until the view takes it over. */
let early: { last?: ListState; report?: (s: ListState) => void; stop(): void } | undefined;

/**
 * Starts GetRestApis while the console is still starting (routes.tsx `prefetch`, called before the first render when
 * the console opens on this view): without it the first call waits for the shell's first paint and this view's effect.
 */
export function prefetchApis(): void {
  const e: NonNullable<typeof early> = { stop: () => {} };
  e.stop = listApis((s) => {
    e.last = s;
    e.report?.(s);
  });
  early = e;
}

function useApiList(): ListState & { loading: boolean; reload(): void } {
  const [state, setState] = useState<ListState>({ complete: false });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const taken = early;
    early = undefined;
    if (taken && tick === 0) {
      taken.report = setState;
      if (taken.last) setState(taken.last);
      return taken.stop;
    }
    taken?.stop();
    return listApis(setState);
  }, [tick]);
  return { ...state, loading: !state.complete, reload: () => setTick((t) => t + 1) };
}

export default function ApisPage() {
  const apis = useApiList();
  const del = useAction();
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const [deleted, setDeleted] = useState<string>();
  // Marks the first view's figures (test/console/first-view.test.ts reads them): effects run after the paint.
  const first = apis.data !== undefined;
  useEffect(() => { if (first) performance.mark('gatehouse:apis-first-rows'); }, [first]);
  useEffect(() => { if (apis.complete && apis.data) performance.mark('gatehouse:apis-listed'); }, [apis.complete]);
  const needle = filter.toLowerCase();
  const shown = (apis.data ?? []).filter((a) => !needle || `${a.name} ${a.id} ${a.description ?? ''}`.toLowerCase().includes(needle));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
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
            <input id="api-filter" type="search" value={filter} placeholder="Name, ID or description" onInput={(e) => { setFilter((e.currentTarget as HTMLInputElement).value); setPage(0); }} />
          </div>
          <div class="page-head">
            <p class="muted" aria-live="polite">
              {shown.length === apis.data.length ? `${apis.data.length} APIs` : `${shown.length} of ${apis.data.length} APIs`}
              {!apis.complete && ' so far, loading more…'}
            </p>
            {pages > 1 && (
              <div class="actions" role="group" aria-label="Pages">
                <Button variant="plain" disabled={current === 0} onClick={() => setPage(current - 1)}>Previous page</Button>
                <span>Page {current + 1} of {pages}</span>
                <Button variant="plain" disabled={current === pages - 1} onClick={() => setPage(current + 1)}>Next page</Button>
              </div>
            )}
          </div>
          <table class="grid" aria-label="APIs">
            <thead><tr><th>Name</th><th>ID</th><th>Endpoint type</th><th>Created</th><th>Description</th><th><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {shown.slice(current * PAGE, (current + 1) * PAGE).map((api) => (
                <tr key={api.id}>
                  <td><a href={href(pathOf('apis', api.id!, 'resources'))}>{api.name}</a></td>
                  <td class="mono">{api.id}</td>
                  <td>{api.endpointConfiguration?.types?.join(', ')}</td>
                  <td>{formatDate(api.createdDate)}</td>
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
        </>
      )}
      {apis.data?.length === 0 && <p class="muted">No APIs in this region yet.</p>}
    </>
  );
}
