/*
 * Requests signed with AWS Signature Version 4 for execute-api (apiGateway.core.sigV4ClientFactory): the canonical
 * request (method, the path as sent encoded once more, the sorted query, the signed headers including Host, the
 * body's SHA-256), the string to sign, the derived key, and the Authorization, X-Amz-Date and X-Amz-Security-Token
 * headers — as the AWS General Reference's "Create a signed AWS API request" describes. Written for Gatehouse.
 */
var apiGateway = (typeof apiGateway !== 'undefined' && apiGateway) ? apiGateway : {};
apiGateway.core = apiGateway.core || {};
apiGateway.core.sigV4ClientFactory = {
  newClient: function (config) {
    'use strict';
    var ALGORITHM = 'AWS4-HMAC-SHA256';
    var enc = apiGateway.core.rfc3986;

    function hexHash(s) { return CryptoJS.SHA256(s).toString(CryptoJS.enc.Hex); }
    function hmac(key, s) { return CryptoJS.HmacSHA256(s, key); }

    function canonicalUri(path) {
      return path.split('/').map(enc).join('/') || '/';
    }
    function canonicalQuery(queryParams) {
      var pairs = [];
      for (var name in queryParams) {
        if (!Object.prototype.hasOwnProperty.call(queryParams, name) || queryParams[name] === undefined) continue;
        var values = Array.isArray(queryParams[name]) ? queryParams[name] : [queryParams[name]];
        for (var i = 0; i < values.length; i++) pairs.push([enc(name), enc(String(values[i]))]);
      }
      pairs.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0; });
      return pairs.map(function (p) { return p[0] + '=' + p[1]; }).join('&');
    }
    function amzDate(d) {
      return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    }

    return {
      makeRequest: function (request) {
        var verb = request.verb.toUpperCase();
        var headers = apiGateway.core.withDefaultHeaders(request, config);
        // The payload as sent: a string, binary data (ArrayBuffer or a typed array, signed byte for byte), or an
        // object sent as JSON.
        var body = '';
        var raw = request.body;
        if (raw !== undefined && raw !== null && raw !== '' && verb !== 'GET' && verb !== 'HEAD') {
          if (raw instanceof ArrayBuffer) body = new Uint8Array(raw);
          else if (ArrayBuffer.isView(raw)) body = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
          else body = typeof raw === 'string' ? raw : JSON.stringify(raw);
        }
        var now = amzDate(new Date());
        headers['x-amz-date'] = now;
        if (config.sessionToken) headers['x-amz-security-token'] = config.sessionToken;
        var host = new URL(config.endpoint).host;

        var canonical = { host: host };
        for (var name in headers) {
          if (Object.prototype.hasOwnProperty.call(headers, name) && headers[name] !== undefined) {
            canonical[name.toLowerCase()] = String(headers[name]).trim().replace(/\s+/g, ' ');
          }
        }
        var names = Object.keys(canonical).sort();
        var signedHeaders = names.join(';');
        var canonicalRequest = [
          verb,
          canonicalUri(request.path),
          canonicalQuery(request.queryParams || {}),
          names.map(function (n) { return n + ':' + canonical[n] + '\n'; }).join(''),
          signedHeaders,
          hexHash(body)
        ].join('\n');

        var day = now.slice(0, 8);
        var scope = day + '/' + config.region + '/' + config.serviceName + '/aws4_request';
        var stringToSign = [ALGORITHM, now, scope, hexHash(canonicalRequest)].join('\n');
        var key = hmac(hmac(hmac(hmac('AWS4' + config.secretKey, day), config.region), config.serviceName), 'aws4_request');
        var signature = hmac(key, stringToSign).toString(CryptoJS.enc.Hex);
        headers['Authorization'] = ALGORITHM + ' Credential=' + config.accessKey + '/' + scope +
          ', SignedHeaders=' + signedHeaders + ', Signature=' + signature;

        var query = apiGateway.core.encodeQuery(request.queryParams || {});
        return axios({
          method: verb,
          url: config.endpoint + request.path + (query === '' ? '' : '?' + query),
          headers: headers,
          data: body === '' ? undefined : body
        });
      }
    };
  }
};
