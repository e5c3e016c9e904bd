// Local AWS services for the AWS-integration tests, on loopback port 0. DynamoDB, Kinesis and S3 are real
// implementations from npm (dynalite, kinesalite, s3rver). No npm or Debian package implements SQS, SNS, Step
// Functions or EventBridge in Node (ElasticMQ, Step Functions Local and LocalStack need a JVM, Python or Docker), so
// `startServiceDoubles()` is the smallest honest stand-in: it speaks each service's real wire protocol for the
// operations the tests use, with the services' own response and error shapes —
//   SQS: the query protocol (`Action=SendMessage`, form or query parameters, XML answers, as AWS's XML-only endpoints
//        and most local implementations answer) and JSON 1.0 (`X-Amz-Target: AmazonSQS.SendMessage`);
//   SNS: the query protocol (ListTopics, Publish), XML answers;
//   Step Functions: JSON 1.0 (`AWSStepFunctions.StartExecution`, DescribeExecution);
//   EventBridge: JSON 1.1 (`AWSEvents.PutEvents`).
// Requests without a SigV4 Authorization header are refused as the services refuse them, so tests see what the
// services would answer an unsigned request. Every request is recorded for assertions.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';
import S3rver from 's3rver';
import { tempDataDir } from './temp.ts';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Local {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const closeServer = (server: Server) => new Promise<void>((r) => {
  server.closeAllConnections?.();
  server.close(() => r());
});

export async function startDynalite(): Promise<Local> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  return { url: await listen(server), close: () => closeServer(server) };
}

export async function startKinesalite(): Promise<Local> {
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 10 }) as Server;
  return { url: await listen(server), close: () => closeServer(server) };
}

/** s3rver checks SigV4 signatures against its own key pair, S3RVER / S3RVER: a real check of Gatehouse's signer. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3rver(): Promise<Local> {
  const directory = tempDataDir();
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [] });
  const address = (await s3.run()) as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface ServiceDoubles extends Local {
  requests: Recorded[];
  /** Messages each SQS queue received (`{account}/{queue}` → bodies with their attributes). */
  queues: Map<string, Array<{ body: string; attributes: Record<string, string> }>>;
  topics: string[];
  published: Array<{ topicArn: string; message: string; subject: string | undefined }>;
  executions: Array<{ executionArn: string; stateMachineArn: string; input: string }>;
  events: Array<Record<string, unknown>>;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** One server for SQS, SNS, Step Functions and EventBridge, told apart by the signature's service or X-Amz-Target. */
export async function startServiceDoubles(opts: { queues?: string[]; topics?: string[]; stateMachines?: string[] } = {}): Promise<ServiceDoubles> {
  const requests: Recorded[] = [];
  const queues = new Map<string, Array<{ body: string; attributes: Record<string, string> }>>((opts.queues ?? []).map((q) => [q, []]));
  const topics = [...(opts.topics ?? [])];
  const stateMachines = new Set(opts.stateMachines ?? []);
  const published: ServiceDoubles['published'] = [];
  const executions: ServiceDoubles['executions'] = [];
  const events: ServiceDoubles['events'] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const url = new URL(req.url!, 'http://local');
      const auth = req.headers.authorization ?? '';
      const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1];
      const target = req.headers['x-amz-target'] as string | undefined;
      const xml = (status: number, text: string) => {
        res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() });
        res.end(`<?xml version="1.0"?>${text}`);
      };
      const json = (status: number, value: unknown, type: string) => {
        res.writeHead(status, { 'Content-Type': type, 'x-amzn-RequestId': randomUUID() });
        res.end(JSON.stringify(value));
      };
      const queryError = (status: number, code: string, message: string) =>
        xml(status, `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message><Detail/></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
      const jsonError = (status: number, type: string, message: string, contentType: string) => json(status, { __type: type, message }, contentType);

      if (target !== undefined && /^(AmazonSQS|AWSStepFunctions|AWSEvents)\./.test(target)) {
        const contentType = target.startsWith('AWSEvents') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
        if (!auth.startsWith('AWS4-HMAC-SHA256 ')) return jsonError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token', contentType);
        let input: Record<string, any>;
        try {
          input = JSON.parse(body || '{}');
        } catch {
          return jsonError(400, 'SerializationException', 'Start of structure or map found where not expected.', contentType);
        }
        const op = target.slice(target.indexOf('.') + 1);
        if (target === 'AmazonSQS.SendMessage') {
          const key = new URL(String(input.QueueUrl ?? ''), 'http://local').pathname.slice(1);
          const queue = queues.get(key);
          if (!queue) return jsonError(400, 'com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.', contentType);
          queue.push({ body: String(input.MessageBody ?? ''), attributes: {} });
          return json(200, { MD5OfMessageBody: md5(String(input.MessageBody ?? '')), MessageId: randomUUID() }, contentType);
        }
        if (target === 'AWSStepFunctions.StartExecution') {
          const arn = String(input.stateMachineArn ?? '');
          if (!stateMachines.has(arn)) return jsonError(400, 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`, contentType);
          const name = typeof input.name === 'string' ? input.name : randomUUID();
          const executionArn = `${arn.replace(':stateMachine:', ':execution:')}:${name}`;
          executions.push({ executionArn, stateMachineArn: arn, input: String(input.input ?? '{}') });
          return json(200, { executionArn, startDate: Date.now() / 1000 }, contentType);
        }
        if (target === 'AWSEvents.PutEvents') {
          const entries = Array.isArray(input.Entries) ? input.Entries : [];
          for (const e of entries) events.push(e);
          return json(200, { Entries: entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 }, contentType);
        }
        return jsonError(400, 'UnknownOperationException', `Unknown operation ${op}`, contentType);
      }

      // The query protocol: parameters from the query string and a form body.
      const params = new URLSearchParams(url.search);
      if (body !== '' && /x-www-form-urlencoded/.test(String(req.headers['content-type'] ?? ''))) {
        for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
      }
      if (!auth.startsWith('AWS4-HMAC-SHA256 ')) return queryError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
      const action = params.get('Action');
      if (service === 'sqs') {
        const key = url.pathname.slice(1);
        if (action === 'SendMessage') {
          const queue = queues.get(key);
          if (!queue) return queryError(400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
          const message = params.get('MessageBody');
          if (message === null || message === '') return queryError(400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
          const attributes: Record<string, string> = {};
          for (let i = 1; params.has(`MessageAttribute.${i}.Name`); i++) {
            attributes[params.get(`MessageAttribute.${i}.Name`)!] = params.get(`MessageAttribute.${i}.Value.StringValue`) ?? '';
          }
          queue.push({ body: message, attributes });
          return xml(200, `<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageResult><MessageId>${randomUUID()}</MessageId><MD5OfMessageBody>${md5(message)}</MD5OfMessageBody></SendMessageResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></SendMessageResponse>`);
        }
        return queryError(400, 'InvalidAction', `The action ${action ?? ''} is not valid for this endpoint.`);
      }
      if (service === 'sns') {
        if (action === 'ListTopics') {
          const members = topics.map((t) => `<member><TopicArn>${xmlEscape(t)}</TopicArn></member>`).join('');
          return xml(200, `<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListTopicsResult><Topics>${members}</Topics></ListTopicsResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></ListTopicsResponse>`);
        }
        if (action === 'Publish') {
          const topicArn = params.get('TopicArn') ?? '';
          if (!topics.includes(topicArn)) return queryError(404, 'NotFound', 'Topic does not exist');
          published.push({ topicArn, message: params.get('Message') ?? '', subject: params.get('Subject') ?? undefined });
          return xml(200, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`);
        }
        return queryError(400, 'InvalidAction', `The action ${action ?? ''} is not valid for this endpoint.`);
      }
      return queryError(400, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    });
  });
  // Longer than undici's idle keep-alive, so a pooled connection is never closed under a request being sent.
  server.keepAliveTimeout = 65_000;
  const url = await listen(server);
  return { url, requests, queues, topics, published, executions, events, close: () => closeServer(server) };
}
