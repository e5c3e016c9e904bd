// Lambda calls the Functions views share: whole listings, the inline editor's zip, and a log result's text.
import { LambdaClient, ListAliasesCommand, ListFunctionsCommand, ListVersionsByFunctionCommand, type AliasConfiguration, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { zipSync, strToU8 } from 'fflate';
import { awsClient } from '../aws.ts';
import { everyMarked } from '../ui/paging.ts';

export const lambda = (): LambdaClient => awsClient(LambdaClient);

// Lambda's runtimes as Gatehouse runs them (src/functions/configuration.ts's SUPPORTED_RUNTIMES, minus
// provided.al2023, whose bootstrap binary cannot be written inline).
export const RUNTIMES = ['nodejs24.x', 'nodejs22.x', 'nodejs20.x', 'python3.13', 'python3.12', 'python3.11'] as const;

/** The inline editor's starting code per runtime family, as the AWS console's "Author from scratch" has it. */
export function starterCode(runtime: string): { file: string; handler: string; code: string } {
  if (runtime.startsWith('python')) {
    return {
      file: 'lambda_function.py',
      handler: 'lambda_function.lambda_handler',
      code: "import json\n\ndef lambda_handler(event, context):\n    print('event', json.dumps(event))\n    return {'statusCode': 200, 'body': json.dumps('Hello from Lambda!')}\n",
    };
  }
  return {
    file: 'index.mjs',
    handler: 'index.handler',
    code: "export const handler = async (event) => {\n  console.log('event', JSON.stringify(event));\n  return { statusCode: 200, body: JSON.stringify('Hello from Lambda!') };\n};\n",
  };
}

/**
 * The inline editor's file and starting code for an existing function: the file the handler names (`app.main` →
 * `app.mjs` or `app.py`) and the runtime's starter with the handler's function name.
 */
export function codeForHandler(runtime: string, handler: string): { file: string; code: string } {
  const starter = starterCode(runtime);
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return { file: starter.file, code: starter.code };
  const [module, fn] = [handler.slice(0, dot), handler.slice(dot + 1)];
  const python = runtime.startsWith('python');
  const code = python ? starter.code.replace('def lambda_handler', `def ${fn}`) : starter.code.replace('export const handler', `export const ${fn}`);
  return { file: `${module}${python ? '.py' : '.mjs'}`, code };
}

/** A zip holding one file, made in the browser (the inline editor's code as a deployment package). */
export function zipOne(file: string, text: string): Uint8Array {
  return zipSync({ [file]: [strToU8(text), { level: 6 }] });
}

export function allFunctions(): Promise<FunctionConfiguration[]> {
  return everyMarked(async (Marker) => {
    const page = await lambda().send(new ListFunctionsCommand({ Marker, MaxItems: 50 }));
    return { items: page.Functions, next: page.NextMarker };
  });
}

export function allVersions(FunctionName: string): Promise<FunctionConfiguration[]> {
  return everyMarked(async (Marker) => {
    const page = await lambda().send(new ListVersionsByFunctionCommand({ FunctionName, Marker, MaxItems: 50 }));
    return { items: page.Versions, next: page.NextMarker };
  });
}

export function allAliases(FunctionName: string): Promise<AliasConfiguration[]> {
  return everyMarked(async (Marker) => {
    const page = await lambda().send(new ListAliasesCommand({ FunctionName, Marker, MaxItems: 50 }));
    return { items: page.Aliases, next: page.NextMarker };
  });
}

/** Base64 (a LogResult) as text. */
export function fromBase64(b64: string): string {
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
