// The AWS managed policies Gatehouse provides (`arn:aws:iam::aws:policy/…`): the ones API Gateway and Lambda
// setups attach most (Terraform and SAM templates attach AWSLambdaBasicExecutionRole to nearly every function role).
// Documents, versions and dates as the AWS Managed Policy Reference Guide gives them. Others do not exist here:
// attaching one is NoSuchEntity. They cannot be changed (no versions, tags or deletion).
export interface AwsManagedPolicy {
  PolicyName: string;
  Path: string;
  Arn: string;
  PolicyId: string;
  DefaultVersionId: string;
  Description: string;
  CreateDate: number;
  UpdateDate: number;
  Document: string;
}

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

function policy(path: string, name: string, id: string, version: string, created: string, updated: string, description: string, statement: object): AwsManagedPolicy {
  return {
    PolicyName: name,
    Path: path,
    Arn: `arn:aws:iam::aws:policy${path}${name}`,
    PolicyId: id,
    DefaultVersionId: version,
    Description: description,
    CreateDate: Date.parse(created),
    UpdateDate: Date.parse(updated),
    Document: doc(statement),
  };
}

// Policy ids are AWS's format (ANPA + 17 characters); these are Gatehouse's own, stable across installations.
const CATALOG: AwsManagedPolicy[] = [
  policy('/', 'AdministratorAccess', 'ANPAGATEHOUSEADMIN001', 'v1', '2015-02-06T18:39:46Z', '2015-02-06T18:39:46Z', 'Provides full access to AWS services and resources.', {
    Effect: 'Allow',
    Action: '*',
    Resource: '*',
  }),
  policy('/', 'AmazonAPIGatewayAdministrator', 'ANPAGATEHOUSEAPIGWAD1', 'v1', '2015-07-09T17:34:00Z', '2015-07-09T17:34:00Z', 'Provides full access to create/edit/delete APIs in Amazon API Gateway via the AWS Management Console.', {
    Effect: 'Allow',
    Action: ['apigateway:*'],
    Resource: 'arn:aws:apigateway:*::/*',
  }),
  policy('/', 'AmazonAPIGatewayInvokeFullAccess', 'ANPAGATEHOUSEAPIGWIN1', 'v2', '2015-07-09T17:36:00Z', '2018-12-18T18:25:00Z', 'Provides full access to invoke APIs in Amazon API Gateway.', {
    Effect: 'Allow',
    Action: ['execute-api:Invoke', 'execute-api:ManageConnections'],
    Resource: 'arn:aws:execute-api:*:*:*',
  }),
  policy('/service-role/', 'AmazonAPIGatewayPushToCloudWatchLogs', 'ANPAGATEHOUSEAPIGWLG1', 'v1', '2015-11-11T23:41:00Z', '2015-11-11T23:41:00Z', "Allows API Gateway to push logs to user's account.", {
    Effect: 'Allow',
    Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
    Resource: '*',
  }),
  policy('/service-role/', 'AWSLambdaBasicExecutionRole', 'ANPAGATEHOUSELAMBDAB1', 'v1', '2015-04-09T15:03:00Z', '2015-04-09T15:03:00Z', 'Provides write permissions to CloudWatch Logs.', {
    Effect: 'Allow',
    Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: '*',
  }),
];

const BY_ARN = new Map(CATALOG.map((p) => [p.Arn, p]));

export const awsManagedPolicy = (arn: string): AwsManagedPolicy | undefined => BY_ARN.get(arn);
export const awsManagedPolicies = (): readonly AwsManagedPolicy[] => CATALOG;
