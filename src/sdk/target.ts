// What every SDK generator is given besides the operations: which API and stage, where the stage is invoked, and
// the files it produces (zip paths → contents).
export interface SdkTarget {
  apiId: string;
  apiName: string;
  stageName: string;
  region: string;
  /** The stage's base URL, no trailing slash: `http://127.0.0.1:4566/restapis/{id}/{stage}/_user_request_`. */
  invokeUrl: string;
}

export type SdkFiles = Record<string, string>;
