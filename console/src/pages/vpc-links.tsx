// VPC links: the list (GetVpcLinks) with each link's status and status message as the server reports them,
// create one for network load balancer ARNs (CreateVpcLink answers PENDING; the list shows what it became), delete.
import { CreateVpcLinkCommand, DeleteVpcLinkCommand, GetVpcLinksCommand } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw } from '../apigw-features/calls.ts';
import { Button, ErrorNote, Loading, Section, TextField } from '../ui/controls.tsx';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

export default function VpcLinksPage() {
  const list = useAws(() => everyItem((position) => apigw().send(new GetVpcLinksCommand({ limit: 500, position }))), []);
  const [name, setName] = useState('');
  const [targets, setTargets] = useState('');
  const [description, setDescription] = useState('');
  const action = useAction();
  return (
    <>
      <div class="page-head"><h1>VPC links</h1><Button onClick={list.reload}>Refresh</Button></div>
      <ErrorNote error={list.error ?? action.error} />
      {list.loading && !list.data && <Loading what="VPC links" />}
      {list.data && list.data.length > 0 && (
        <table class="grid" aria-label="VPC links">
          <thead><tr><th>Name</th><th>ID</th><th>Status</th><th>Target ARNs</th><th /></tr></thead>
          <tbody>
            {list.data.map((l) => (
              <tr key={l.id}>
                <td>{l.name}</td>
                <td class="mono">{l.id}</td>
                <td class={l.status === 'AVAILABLE' ? 'status-ok' : l.status === 'FAILED' ? 'status-bad' : undefined}>{l.status}{l.statusMessage ? ` — ${l.statusMessage}` : ''}</td>
                <td class="mono">{l.targetArns?.join(', ')}</td>
                <td><Button variant="danger" aria-label={`Delete VPC link ${l.name}`} onClick={async () => {
                  if (window.confirm(`Delete VPC link ${l.name}?`) && await action.run(() => apigw().send(new DeleteVpcLinkCommand({ vpcLinkId: l.id })))) list.reload();
                }}>Delete</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.length === 0 && <p class="muted">No VPC links in this region yet.</p>}
      <Section title="Create VPC link">
        <form onSubmit={async (e) => {
          e.preventDefault();
          if (await action.run(() => apigw().send(new CreateVpcLinkCommand({ name, description: description || undefined, targetArns: targets.split(/[\s,]+/).filter(Boolean) })))) {
            setName('');
            setTargets('');
            list.reload();
          }
        }}>
          <div class="row">
            <TextField label="VPC link name" name="name" value={name} onInput={setName} />
            <TextField label="Description" name="description" value={description} onInput={setDescription} />
          </div>
          <TextField label="Target network load balancer ARNs" name="targetArns" value={targets} onInput={setTargets} hint="arn:aws:elasticloadbalancing:…:loadbalancer/net/…, separated by spaces or commas." />
          <Button type="submit" variant="primary" busy={action.busy}>Create VPC link</Button>
        </form>
      </Section>
    </>
  );
}
