// Request bodies the security tests attack with.

/** A CreateFunction body (an empty zip): what a drive-by page would post to create a function. */
export const CREATE_FUNCTION = JSON.stringify({
  FunctionName: 'pwned',
  Runtime: 'nodejs22.x',
  Role: 'arn:aws:iam::123456789012:role/x',
  Handler: 'index.handler',
  Code: { ZipFile: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
});
