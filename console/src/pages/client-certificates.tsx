// Client certificates: the list (GetClientCertificates), generate one (GenerateClientCertificate), see its PEM
// (what a backend trusts to know calls come from API Gateway), and delete one.
import { DeleteClientCertificateCommand, GenerateClientCertificateCommand, GetClientCertificatesCommand } from '@aws-sdk/client-api-gateway';
import { useState } from 'preact/hooks';
import { apigw } from '../apigw-features/calls.ts';
import { Button, CopyButton, ErrorNote, Loading, Section, TextField } from '../ui/controls.tsx';
import { everyItem } from '../ui/paging.ts';
import { useAction, useAws } from '../ui/use-aws.ts';

export default function ClientCertificatesPage() {
  const list = useAws(() => everyItem((position) => apigw().send(new GetClientCertificatesCommand({ limit: 500, position }))), []);
  const [description, setDescription] = useState('');
  const [shown, setShown] = useState<string>();
  const action = useAction();
  return (
    <>
      <div class="page-head"><h1>Client certificates</h1></div>
      <ErrorNote error={list.error ?? action.error} />
      <Section title="Generate certificate">
        <form class="row" onSubmit={async (e) => {
          e.preventDefault();
          if (await action.run(() => apigw().send(new GenerateClientCertificateCommand({ description: description || undefined })))) {
            setDescription('');
            list.reload();
          }
        }}>
          <TextField label="Certificate description" name="description" value={description} onInput={setDescription} />
          <Button type="submit" variant="primary" busy={action.busy}>Generate client certificate</Button>
        </form>
      </Section>
      {list.loading && !list.data && <Loading what="client certificates" />}
      {list.data?.map((c) => (
        <Section key={c.clientCertificateId} title={c.clientCertificateId!} actions={<>
          <Button aria-expanded={shown === c.clientCertificateId} onClick={() => setShown(shown === c.clientCertificateId ? undefined : c.clientCertificateId)}>PEM</Button>
          <Button variant="danger" aria-label={`Delete client certificate ${c.clientCertificateId}`} onClick={async () => {
            if (window.confirm(`Delete client certificate ${c.clientCertificateId}?`) && await action.run(() => apigw().send(new DeleteClientCertificateCommand({ clientCertificateId: c.clientCertificateId })))) list.reload();
          }}>Delete</Button>
        </>}>
          <dl class="kv">
            <dt>Description</dt><dd>{c.description}</dd>
            <dt>Created</dt><dd>{c.createdDate?.toLocaleString()}</dd>
            <dt>Expires</dt><dd>{c.expirationDate?.toLocaleString()}</dd>
          </dl>
          {shown === c.clientCertificateId && (
            <>
              <pre aria-label={`PEM of ${c.clientCertificateId}`}>{c.pemEncodedCertificate}</pre>
              <CopyButton text={c.pemEncodedCertificate ?? ''} label="Copy PEM" />
            </>
          )}
        </Section>
      ))}
      {list.data?.length === 0 && <p class="muted">No client certificates in this region yet.</p>}
    </>
  );
}
