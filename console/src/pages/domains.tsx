// Custom domain names: the list (GetDomainNames), create one (REGIONAL or EDGE, with the certificate ARN AWS
// requires for it), delete one, and each domain's base path mappings (GetBasePathMappings, CreateBasePathMapping to
// an API stage, DeleteBasePathMapping). Requests whose Host is the domain reach the mapped stages.
import {
  CreateBasePathMappingCommand, CreateDomainNameCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand, GetBasePathMappingsCommand,
  GetDomainNamesCommand, type DomainName, type EndpointType,
} from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { allApiStages, apigw } from '../apigw-features/calls.ts';
import { Button, ErrorNote, Loading, Section, SelectField, TextField } from '../ui/controls.tsx';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

function CreateDomain(props: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<EndpointType>('REGIONAL');
  const [cert, setCert] = useState('');
  const action = useAction();
  return (
    <form onSubmit={async (e) => {
      e.preventDefault();
      if (await action.run(() => apigw().send(new CreateDomainNameCommand({
        domainName: name, endpointConfiguration: { types: [type] }, securityPolicy: 'TLS_1_2',
        ...(type === 'EDGE' ? { certificateArn: cert } : { regionalCertificateArn: cert }),
      })))) {
        setName('');
        props.onCreated();
      }
    }}>
      <div class="row">
        <TextField label="Domain name" name="domainName" value={name} onInput={setName} placeholder="api.example.com" />
        <SelectField<EndpointType> label="Endpoint type" value={type} options={[['REGIONAL', 'Regional'], ['EDGE', 'Edge-optimized']] as const} onChange={setType} />
      </div>
      <TextField label="ACM certificate ARN" name="certificateArn" value={cert} onInput={setCert} hint={type === 'EDGE' ? 'An EDGE domain needs a certificate in us-east-1.' : 'A certificate in this region.'} />
      <ErrorNote error={action.error} />
      <Button type="submit" variant="primary" busy={action.busy}>Create domain name</Button>
    </form>
  );
}

function Mappings(props: { domain: DomainName }) {
  const domainName = props.domain.domainName!;
  const list = useAws(() => everyItem((position) => apigw().send(new GetBasePathMappingsCommand({ domainName, limit: 500, position }))), [domainName]);
  const targets = useAws(allApiStages, []);
  const [basePath, setBasePath] = useState('');
  const [target, setTarget] = useState('');
  const action = useAction();
  return (
    <>
      <ErrorNote error={list.error ?? targets.error ?? action.error} />
      <table class="grid" aria-label={`Base path mappings of ${domainName}`}>
        <thead><tr><th>Path</th><th>API</th><th>Stage</th><th /></tr></thead>
        <tbody>
          {(list.data ?? []).map((m) => (
            <tr key={m.basePath}>
              <td class="mono">/{m.basePath === '(none)' ? '' : m.basePath}</td><td class="mono">{m.restApiId}</td><td>{m.stage}</td>
              <td><Button variant="danger" aria-label={`Delete mapping ${m.basePath}`} onClick={async () => {
                if (await action.run(() => apigw().send(new DeleteBasePathMappingCommand({ domainName, basePath: m.basePath })))) list.reload();
              }}>Delete</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row inline-form" onSubmit={async (e) => {
        e.preventDefault();
        const [restApiId, stage] = target.split(':');
        if (await action.run(() => apigw().send(new CreateBasePathMappingCommand({ domainName, basePath: basePath || undefined, restApiId, stage })))) {
          setBasePath('');
          list.reload();
        }
      }}>
        <TextField label="Base path" name="basePath" value={basePath} onInput={setBasePath} hint="Empty maps the domain's root." />
        <SelectField label="Destination" value={target} options={[['', 'Choose an API stage'] as const, ...(targets.data ?? []).map((t) => [`${t.apiId}:${t.stage}`, `${t.apiName} (${t.apiId}) · ${t.stage}`] as const)]} onChange={setTarget} />
        <Button type="submit" busy={action.busy}>Add mapping</Button>
      </form>
    </>
  );
}

export default function DomainsPage() {
  const list = useAws(() => everyItem((position) => apigw().send(new GetDomainNamesCommand({ limit: 500, position }))), []);
  const action = useAction();
  return (
    <>
      <div class="page-head"><h1>Custom domain names</h1></div>
      <ErrorNote error={list.error ?? action.error} />
      <Section title="Create domain name"><CreateDomain onCreated={list.reload} /></Section>
      {list.loading && !list.data && <Loading what="domain names" />}
      {list.data?.map((d) => (
        <Section key={d.domainName} title={d.domainName!} actions={
          <Button variant="danger" aria-label={`Delete domain name ${d.domainName}`} onClick={async () => {
            if (window.confirm(`Delete domain name ${d.domainName}?`) && await action.run(() => apigw().send(new DeleteDomainNameCommand({ domainName: d.domainName })))) list.reload();
          }}>Delete</Button>
        }>
          <dl class="kv">
            <dt>Endpoint type</dt><dd>{d.endpointConfiguration?.types?.join(', ')}</dd>
            <dt>Status</dt><dd>{d.domainNameStatus}{d.domainNameStatusMessage ? ` — ${d.domainNameStatusMessage}` : ''}</dd>
            <dt>API Gateway domain name</dt><dd class="mono">{d.regionalDomainName ?? d.distributionDomainName}</dd>
            <dt>Certificate</dt><dd class="mono">{d.regionalCertificateArn ?? d.certificateArn}</dd>
          </dl>
          <h3>Base path mappings</h3>
          <Mappings domain={d} />
        </Section>
      ))}
      {list.data?.length === 0 && <p class="muted">No custom domain names in this region yet.</p>}
    </>
  );
}
