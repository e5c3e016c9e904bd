// Lambda API operation handlers (issue 5). Operations without a handler answer with an AWS-shaped error.
import type { HandlerTable } from '../aws/operation.ts';

export const lambdaHandlers: HandlerTable = {};
