/*
 * Expands API Gateway path templates for the generated SDK: `{name}` becomes the parameter's value percent-encoded
 * as one path segment, a greedy `{name+}` keeps its slashes and encodes each segment. Written for Gatehouse; the
 * `uritemplate(template).expand(values)` call is the one API Gateway's generated apigClient.js makes.
 */
var uritemplate = (typeof uritemplate === 'function') ? uritemplate : function (template) {
  'use strict';
  function encodeSegment(s) {
    return encodeURIComponent(s).replace(/[!'()*]/g, function (c) { return '%' + c.charCodeAt(0).toString(16).toUpperCase(); });
  }
  return {
    expand: function (values) {
      return template.replace(/\{([^}]+?)(\+?)\}/g, function (_, name, greedy) {
        var v = values === undefined ? undefined : values[name + greedy] !== undefined ? values[name + greedy] : values[name];
        if (v === undefined || v === null) return '';
        v = String(v);
        return greedy ? v.split('/').map(encodeSegment).join('/') : encodeSegment(v);
      });
    }
  };
};
