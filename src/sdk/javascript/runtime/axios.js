/*
 * The HTTP client of the generated SDK: a small promise-based `axios(config)` over the standard fetch (browsers,
 * Node 18+), answering as axios answers — { data, status, statusText, headers, config }, JSON bodies parsed — and
 * rejecting any status outside 2xx with an Error whose `response` is that object. Written for Gatehouse; only the
 * request shape API Gateway's generated SDK sends ({ method, url, headers, data }) is supported.
 */
var axios = (typeof axios === 'function') ? axios : function (config) {
  'use strict';
  var headers = {};
  for (var name in config.headers || {}) {
    if (config.headers[name] !== undefined && config.headers[name] !== null) headers[name] = String(config.headers[name]);
  }
  var init = { method: (config.method || 'GET').toUpperCase(), headers: headers };
  var data = config.data;
  if (data !== undefined && data !== null && init.method !== 'GET' && init.method !== 'HEAD') {
    var raw = typeof data === 'string' || data instanceof ArrayBuffer || ArrayBuffer.isView(data) ||
      (typeof Blob !== 'undefined' && data instanceof Blob) || (typeof FormData !== 'undefined' && data instanceof FormData);
    init.body = raw ? data : JSON.stringify(data);
  }
  return fetch(config.url, init).then(function (res) {
    return res.text().then(function (text) {
      var headers = {};
      res.headers.forEach(function (value, name) { headers[name] = value; });
      var body = text;
      if (text !== '') {
        try { body = JSON.parse(text); } catch (e) { body = text; }
      }
      var response = { data: body, status: res.status, statusText: res.statusText, headers: headers, config: config };
      if (res.status >= 200 && res.status < 300) return response;
      var error = new Error('Request failed with status code ' + res.status);
      error.config = config;
      error.response = response;
      throw error;
    });
  });
};
