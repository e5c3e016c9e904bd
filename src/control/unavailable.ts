import type { HandlerTable } from '../aws/operation.ts';

export const handlers: HandlerTable = {};
