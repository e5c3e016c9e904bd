// GetSdkTypes / GetSdkType: the client SDK generators API Gateway offers and the parameters each takes (the ids
// and properties GetSdk accepts; see `aws apigateway get-sdk` in the AWS CLI reference: android needs groupId,
// invokerPackage, artifactId, artifactVersion; objectivec and swift need classPrefix; java needs serviceName and
// javaPackageName; ruby needs service.name). GetSdk, which generates SDKs, is src/sdk/get-sdk.ts.
import { NotFoundException } from '../aws/errors.ts';
import type { HandlerTable, OperationInput } from '../aws/operation.ts';
import { paginate } from './pagination.ts';

interface SdkConfigurationProperty {
  name: string;
  friendlyName: string;
  description: string;
  required: boolean;
  defaultValue?: string;
}

interface SdkType {
  id: string;
  friendlyName: string;
  description: string;
  configurationProperties: SdkConfigurationProperty[];
}

const prop = (name: string, friendlyName: string, description: string, required: boolean, defaultValue?: string): SdkConfigurationProperty =>
  defaultValue === undefined ? { name, friendlyName, description, required } : { name, friendlyName, description, required, defaultValue };

export const SDK_TYPES: readonly SdkType[] = [
  {
    id: 'android',
    friendlyName: 'Android',
    description: 'Java SDK for Android',
    configurationProperties: [
      prop('groupId', 'Group ID', 'The group ID of the generated SDK project', true),
      prop('invokerPackage', 'Invoker package', 'The package of the generated SDK classes', true),
      prop('artifactId', 'Artifact ID', 'The artifact ID of the generated SDK project', true),
      prop('artifactVersion', 'Artifact version', 'The version of the generated SDK', true),
    ],
  },
  {
    id: 'java',
    friendlyName: 'Java SDK',
    description: 'Java SDK',
    configurationProperties: [
      prop('serviceName', 'Service Name', 'The name of the service client class', true),
      prop('javaPackageName', 'Java Package Name', 'The package of the generated SDK classes', true),
      prop('javaBuildSystem', 'Java Build System', 'maven or gradle', false, 'maven'),
      prop('javaGroupId', 'Java Group Id', 'The group ID of the generated SDK project', false),
      prop('javaArtifactId', 'Java Artifact Id', 'The artifact ID of the generated SDK project', false),
      prop('javaArtifactVersion', 'Java Artifact Version', 'The version of the generated SDK', false, '1.0.0'),
    ],
  },
  { id: 'javascript', friendlyName: 'JavaScript', description: 'JavaScript SDK', configurationProperties: [] },
  {
    id: 'objectivec',
    friendlyName: 'iOS (Objective-C)',
    description: 'Objective-C SDK for iOS',
    configurationProperties: [prop('classPrefix', 'Prefix', 'The prefix of the generated class names', true)],
  },
  {
    id: 'ruby',
    friendlyName: 'Ruby',
    description: 'Ruby SDK',
    configurationProperties: [
      prop('service.name', 'Service name', 'The name of the service client class', true),
      prop('ruby.gem-name', 'Ruby gem name', 'The name of the generated gem', false),
      prop('ruby.gem-version', 'Ruby gem version', 'The version of the generated gem', false, '1.0.0'),
    ],
  },
  {
    id: 'swift',
    friendlyName: 'iOS (Swift)',
    description: 'Swift SDK for iOS',
    configurationProperties: [prop('classPrefix', 'Prefix', 'The prefix of the generated class names', true)],
  },
];

async function GetSdkTypes(input: OperationInput) {
  const page = paginate(SDK_TYPES, input);
  return { items: structuredClone(page.items), position: page.position };
}

async function GetSdkType(input: OperationInput) {
  const t = SDK_TYPES.find((s) => s.id === input.id);
  if (!t) throw new NotFoundException(`Invalid SDK type specified: ${input.id}`);
  return structuredClone(t);
}

export const handlers: HandlerTable = { GetSdkTypes, GetSdkType };
