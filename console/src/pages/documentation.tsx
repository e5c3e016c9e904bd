// An API's documentation: its parts (GetDocumentationParts: location and properties JSON), create and delete
// parts, and its documentation versions (CreateDocumentationVersion snapshots the parts, optionally for a stage).
import {
  CreateDocumentationPartCommand, CreateDocumentationVersionCommand, DeleteDocumentationPartCommand, GetDocumentationPartsCommand,
  GetDocumentationVersionsCommand, type DocumentationPartType,
} from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allStages } from '../apigw/calls.ts';
import { apigw } from '../apigw-features/calls.ts';
import type { PageProps } from '../routes.tsx';
import { Button, ErrorNote, Loading, Section, SelectField, TextArea, TextField } from '../ui/controls.tsx';
import { parseJsonObject, prettyJson } from '../ui/json.ts';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

const TYPES = ['API', 'AUTHORIZER', 'MODEL', 'RESOURCE', 'METHOD', 'PATH_PARAMETER', 'QUERY_PARAMETER', 'REQUEST_HEADER', 'REQUEST_BODY', 'RESPONSE', 'RESPONSE_HEADER', 'RESPONSE_BODY'] as const;

function CreatePart(props: { apiId: string; onCreated(): void }) {
  const [type, setType] = useState<DocumentationPartType>('API');
  const [path, setPath] = useState('');
  const [method, setMethod] = useState('');
  const [statusCode, setStatusCode] = useState('');
  const [name, setName] = useState('');
  const [properties, setProperties] = useState('{\n  "description": ""\n}');
  const action = useAction();
  const parsed = parseJsonObject(properties);
  return (
    <form class="wide" onSubmit={async (e) => {
      e.preventDefault();
      if (await action.run(() => apigw().send(new CreateDocumentationPartCommand({
        restApiId: props.apiId, properties,
        location: { type, path: path || undefined, method: method || undefined, statusCode: statusCode || undefined, name: name || undefined },
      })))) props.onCreated();
    }}>
      <div class="row">
        <SelectField<DocumentationPartType> label="Location type" value={type} options={TYPES} onChange={setType} />
        <TextField label="Path" name="path" value={path} onInput={setPath} placeholder="/pets/{petId}" />
        <TextField label="Method" name="method" value={method} onInput={setMethod} placeholder="GET" />
        <TextField label="Status code" name="statusCode" value={statusCode} onInput={setStatusCode} />
        <TextField label="Name" name="locationName" value={name} onInput={setName} />
      </div>
      <TextArea label="Properties (JSON)" name="properties" code rows={5} value={properties} onInput={setProperties} />
      {parsed.error && <p class="note warn" role="status">{parsed.error}</p>}
      <ErrorNote error={action.error} />
      <Button type="submit" variant="primary" busy={action.busy} disabled={Boolean(parsed.error)}>Create documentation part</Button>
    </form>
  );
}

export default function DocumentationPage(props: PageProps) {
  const apiId = props.params.apiId!;
  const parts = useAws(() => everyItem((position) => apigw().send(new GetDocumentationPartsCommand({ restApiId: apiId, limit: 500, position }))), [apiId]);
  const versions = useAws(() => everyItem((position) => apigw().send(new GetDocumentationVersionsCommand({ restApiId: apiId, limit: 500, position }))), [apiId]);
  const stages = useAws(() => allStages(apiId), [apiId]);
  const [version, setVersion] = useState('');
  const [stage, setStage] = useState('');
  const [description, setDescription] = useState('');
  const action = useAction();
  return (
    <>
      <div class="page-head"><h1>Documentation</h1></div>
      <ErrorNote error={parts.error ?? versions.error ?? action.error} />
      <Section title="Documentation parts">
        {parts.loading && !parts.data && <Loading what="documentation parts" />}
        {parts.data && parts.data.length > 0 && (
          <table class="grid" aria-label="Documentation parts">
            <thead><tr><th>Location</th><th>Properties</th><th /></tr></thead>
            <tbody>
              {parts.data.map((p) => (
                <tr key={p.id}>
                  <td class="mono">{[p.location?.type, p.location?.path, p.location?.method, p.location?.statusCode, p.location?.name].filter((v) => v && v !== '*').join(' ')}</td>
                  <td><pre>{prettyJson(p.properties ?? '')}</pre></td>
                  <td><Button variant="danger" aria-label={`Delete documentation part ${p.id}`} onClick={async () => {
                    if (await action.run(() => apigw().send(new DeleteDocumentationPartCommand({ restApiId: apiId, documentationPartId: p.id })))) parts.reload();
                  }}>Delete</Button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {parts.data?.length === 0 && <p class="muted">No documentation parts yet.</p>}
        <h3>Create documentation part</h3>
        <CreatePart apiId={apiId} onCreated={parts.reload} />
      </Section>
      <Section title="Documentation versions">
        {versions.data && versions.data.length > 0 && (
          <table class="grid" aria-label="Documentation versions">
            <thead><tr><th>Version</th><th>Description</th><th>Created</th></tr></thead>
            <tbody>{versions.data.map((v) => <tr key={v.version}><td>{v.version}</td><td>{v.description}</td><td>{v.createdDate?.toLocaleString()}</td></tr>)}</tbody>
          </table>
        )}
        {versions.data?.length === 0 && <p class="muted">No documentation versions yet.</p>}
        <form class="row inline-form" onSubmit={async (e) => {
          e.preventDefault();
          if (await action.run(() => apigw().send(new CreateDocumentationVersionCommand({ restApiId: apiId, documentationVersion: version, stageName: stage || undefined, description: description || undefined })))) {
            setVersion('');
            versions.reload();
          }
        }}>
          <TextField label="Version" name="documentationVersion" value={version} onInput={setVersion} />
          <SelectField label="Associate with stage" value={stage} options={[['', 'No stage'] as const, ...(stages.data ?? []).map((s) => [s.stageName!, s.stageName!] as const)]} onChange={setStage} />
          <TextField label="Version description" name="versionDescription" value={description} onInput={setDescription} />
          <Button type="submit" busy={action.busy}>Publish documentation version</Button>
        </form>
      </Section>
    </>
  );
}
