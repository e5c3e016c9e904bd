// The IAM and STS APIs (awsQuery protocol, src/aws/query-protocol.ts): one handler table per service.
import type { HandlerTable } from '../aws/operation.ts';
import { accessKeyHandlers } from './access-keys.ts';
import { groupHandlers } from './groups.ts';
import { policyHandlers } from './policies.ts';
import { policyAttachmentHandlers } from './policy-attachments.ts';
import { roleHandlers } from './roles.ts';
import { boundaryHandlers } from './boundaries.ts';
import { tagHandlers } from './tags.ts';
import { userHandlers } from './users.ts';

export { stsHandlers } from './sts.ts';

export const iamHandlers: HandlerTable = {
  ...userHandlers,
  ...accessKeyHandlers,
  ...groupHandlers,
  ...roleHandlers,
  ...policyHandlers,
  ...policyAttachmentHandlers,
  ...tagHandlers,
  ...boundaryHandlers,
};
