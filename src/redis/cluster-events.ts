// What one node tells the others through Redis pub/sub (scale-out mode): FlushStageAuthorizersCache. The Lambda
// authorizer result cache stays in each node's memory — its hit is read synchronously on the data plane's hot path,
// and a shared one would cost a round trip per authorized request — so a flush called on one node is published on
// the channel `{prefix}events` and every node empties its own copy of the stage.
//
// A message sent while a node's subscription was down would be missed: when a node's subscription comes back after
// a disconnection, it empties all its authorizer results instead (they are only a cache: the next requests call
// the authorizers again). Cognito/JWT verified tokens need no event: a token's verification depends only on the token
// and its pool's keys, so each node keeps its own cache.
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { RedisLink } from './redis-link.ts';

export const CLUSTER_EVENTS = 'clusterEvents';

interface FlushAuthorizers {
  type: 'flushStageAuthorizers';
  node: string;
  apiId: string;
  stage: string;
}

export interface ClusterEventHandlers {
  /** Empties one stage's authorizer results on this node. */
  flushStageAuthorizers(apiId: string, stage: string): void;
  /** Empties every authorizer result on this node (after missing messages). */
  flushAllAuthorizers(): void;
}

export class ClusterEvents {
  readonly #link: RedisLink;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #node = randomBytes(8).toString('hex');
  readonly #handlers: ClusterEventHandlers;
  #lostSubscription = false;

  constructor(link: RedisLink, handlers: ClusterEventHandlers) {
    this.#link = link;
    this.#handlers = handlers;
    this.#channel = `${link.prefix}events`;
    this.#subscriber = link.client.duplicate();
    this.#subscriber.on('error', (err: Error) => link.failed(err));
    this.#subscriber.on('ready', () => {
      this.#subscriber.subscribe(this.#channel).then(
        () => {
          if (this.#lostSubscription) handlers.flushAllAuthorizers();
          this.#lostSubscription = false;
        },
        (err: unknown) => link.failed(err),
      );
    });
    this.#subscriber.on('close', () => {
      this.#lostSubscription = true;
    });
    this.#subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.#channel) return;
      let event: FlushAuthorizers;
      try {
        event = JSON.parse(text) as FlushAuthorizers;
      } catch {
        return;
      }
      if (event.node === this.#node || event.type !== 'flushStageAuthorizers') return;
      if (typeof event.apiId === 'string' && typeof event.stage === 'string') handlers.flushStageAuthorizers(event.apiId, event.stage);
    });
  }

  /** FlushStageAuthorizersCache: empties the stage here and tells every other node. Throws when Redis cannot be told. */
  async flushStageAuthorizers(apiId: string, stage: string): Promise<void> {
    this.#handlers.flushStageAuthorizers(apiId, stage);
    const event: FlushAuthorizers = { type: 'flushStageAuthorizers', node: this.#node, apiId, stage };
    await this.#link.client.publish(this.#channel, JSON.stringify(event));
  }

  /** Whether this node hears the other nodes now. */
  get subscribed(): boolean {
    return this.#subscriber.status === 'ready' && !this.#lostSubscription;
  }

  close(): void {
    this.#subscriber.disconnect();
  }
}
