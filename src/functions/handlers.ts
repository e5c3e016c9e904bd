// Lambda API operation handlers (issue 5). Operations without a handler answer with an AWS-shaped error.
import type { HandlerTable } from '../aws/operation.ts';
import { functionHandlers } from './api-functions.ts';
import { permissionHandlers } from './api-permissions.ts';
import { versionHandlers } from './api-versions.ts';

export const lambdaHandlers: HandlerTable = {
  ...functionHandlers,
  ...versionHandlers,
  ...permissionHandlers,
};
