/*
 * The SDK's request dispatcher (apiGateway.core.apiGatewayClientFactory): adds the API key, the caller's
 * additional headers and query parameters, and sends the request signed (AWS_IAM) or not. Written for Gatehouse,
 * with the makeRequest(request, authType, additionalParams, apiKey) signature API Gateway's generated SDK uses.
 */
var apiGateway = (typeof apiGateway !== 'undefined' && apiGateway) ? apiGateway : {};
apiGateway.core = apiGateway.core || {};
apiGateway.core.apiGatewayClientFactory = {
  newClient: function (simpleHttpClientConfig, sigV4ClientConfig) {
    var utils = apiGateway.core.utils;
    var sigV4Client = apiGateway.core.sigV4ClientFactory.newClient(sigV4ClientConfig);
    var simpleHttpClient = apiGateway.core.simpleHttpClientFactory.newClient(simpleHttpClientConfig);
    return {
      makeRequest: function (request, authType, additionalParams, apiKey) {
        request = utils.copy(request);
        request.headers = utils.copy(request.headers) || {};
        if (apiKey !== undefined && apiKey !== '') request.headers['x-api-key'] = apiKey;
        var body = request.body;
        if (body === undefined || body === '' || body === null || (typeof body === 'object' && Object.getPrototypeOf(body) === Object.prototype && Object.keys(body).length === 0)) {
          request.body = undefined;
        }
        additionalParams = additionalParams || {};
        request.headers = utils.mergeInto(request.headers, additionalParams.headers || {});
        request.queryParams = utils.mergeInto(request.queryParams || {}, additionalParams.queryParams || {});
        return authType === 'AWS_IAM' ? sigV4Client.makeRequest(request) : simpleHttpClient.makeRequest(request);
      }
    };
  }
};
