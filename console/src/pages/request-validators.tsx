// An API's request validators: the list (GetRequestValidators), create (body, parameters or both), change what
// one validates (UpdateRequestValidator) and delete one.
import { CreateRequestValidatorCommand, DeleteRequestValidatorCommand, GetRequestValidatorsCommand, UpdateRequestValidatorCommand, type RequestValidator } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw } from '../apigw-features/calls.ts';
import type { PageProps } from '../routes.tsx';
import { Button, Checkbox, ErrorNote, Loading, Section, TextField } from '../ui/controls.tsx';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

export default function RequestValidatorsPage(props: PageProps) {
  const apiId = props.params.apiId!;
  const list = useAws(() => everyItem((position) => apigw().send(new GetRequestValidatorsCommand({ restApiId: apiId, limit: 500, position }))), [apiId]);
  const [name, setName] = useState('');
  const [body, setBody] = useState(true);
  const [params, setParams] = useState(true);
  const action = useAction();
  const toggle = (v: RequestValidator, field: 'validateRequestBody' | 'validateRequestParameters') => async () => {
    if (await action.run(() => apigw().send(new UpdateRequestValidatorCommand({ restApiId: apiId, requestValidatorId: v.id, patchOperations: [{ op: 'replace', path: `/${field}`, value: String(!v[field]) }] })))) list.reload();
  };
  return (
    <>
      <div class="page-head"><h1>Request validators</h1></div>
      <ErrorNote error={list.error ?? action.error} />
      {list.loading && !list.data && <Loading what="request validators" />}
      {list.data && list.data.length > 0 && (
        <table class="grid" aria-label="Request validators">
          <thead><tr><th>Name</th><th>ID</th><th>Body</th><th>Parameters</th><th /></tr></thead>
          <tbody>
            {list.data.map((v) => (
              <tr key={v.id}>
                <td>{v.name}</td>
                <td class="mono">{v.id}</td>
                <td><Button variant="plain" aria-label={`${v.name}: validate body`} aria-pressed={Boolean(v.validateRequestBody)} onClick={toggle(v, 'validateRequestBody')}>{v.validateRequestBody ? 'Validated' : 'Not validated'}</Button></td>
                <td><Button variant="plain" aria-label={`${v.name}: validate parameters`} aria-pressed={Boolean(v.validateRequestParameters)} onClick={toggle(v, 'validateRequestParameters')}>{v.validateRequestParameters ? 'Validated' : 'Not validated'}</Button></td>
                <td><Button variant="danger" aria-label={`Delete validator ${v.name}`} onClick={async () => {
                  if (window.confirm(`Delete request validator ${v.name}?`) && await action.run(() => apigw().send(new DeleteRequestValidatorCommand({ restApiId: apiId, requestValidatorId: v.id })))) list.reload();
                }}>Delete</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.length === 0 && <p class="muted">No request validators for this API yet.</p>}
      <Section title="Create request validator">
        <form onSubmit={async (e) => {
          e.preventDefault();
          if (await action.run(() => apigw().send(new CreateRequestValidatorCommand({ restApiId: apiId, name, validateRequestBody: body, validateRequestParameters: params })))) {
            setName('');
            list.reload();
          }
        }}>
          <TextField label="Validator name" name="name" value={name} onInput={setName} />
          <Checkbox label="Validate request body" checked={body} onChange={setBody} />
          <Checkbox label="Validate query string parameters and headers" checked={params} onChange={setParams} />
          <Button type="submit" variant="primary" busy={action.busy}>Create request validator</Button>
        </form>
      </Section>
    </>
  );
}
