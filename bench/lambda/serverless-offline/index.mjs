// The benchmark handler, served by serverless-offline (serverless.yml) and zipped into a Gatehouse function by
// ../offline-compare.ts, so both servers run the same code.
export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });
