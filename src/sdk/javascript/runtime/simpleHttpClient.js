/*
 * Unsigned requests of the generated SDK (apiGateway.core.simpleHttpClientFactory): default Accept and
 * Content-Type headers, the query string, and the call through axios. Written for Gatehouse.
 */
var apiGateway = (typeof apiGateway !== 'undefined' && apiGateway) ? apiGateway : {};
apiGateway.core = apiGateway.core || {};
apiGateway.core.encodeQuery = function (queryParams) {
  var parts = [];
  for (var name in queryParams) {
    if (!Object.prototype.hasOwnProperty.call(queryParams, name) || queryParams[name] === undefined) continue;
    var values = Array.isArray(queryParams[name]) ? queryParams[name] : [queryParams[name]];
    for (var i = 0; i < values.length; i++) parts.push(apiGateway.core.rfc3986(name) + '=' + apiGateway.core.rfc3986(String(values[i])));
  }
  return parts.join('&');
};
apiGateway.core.rfc3986 = function (s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, function (c) { return '%' + c.charCodeAt(0).toString(16).toUpperCase(); });
};
/** The request's headers with the defaults; no Content-Type when there is no body (what a GET sends). */
apiGateway.core.withDefaultHeaders = function (request, config) {
  var headers = apiGateway.core.utils.copy(request.headers) || {};
  if (headers['Accept'] === undefined && headers['accept'] === undefined) headers['Accept'] = config.defaultAcceptType;
  var hasBody = request.body !== undefined && request.body !== null && request.body !== '' && request.verb !== 'GET' && request.verb !== 'HEAD';
  if (!hasBody) {
    delete headers['Content-Type'];
    delete headers['content-type'];
  } else if (headers['Content-Type'] === undefined && headers['content-type'] === undefined) {
    headers['Content-Type'] = config.defaultContentType;
  }
  return headers;
};
apiGateway.core.simpleHttpClientFactory = {
  newClient: function (config) {
    return {
      makeRequest: function (request) {
        var query = apiGateway.core.encodeQuery(request.queryParams || {});
        return axios({
          method: request.verb,
          url: config.endpoint + request.path + (query === '' ? '' : '?' + query),
          headers: apiGateway.core.withDefaultHeaders(request, config),
          data: request.body
        });
      }
    };
  }
};
