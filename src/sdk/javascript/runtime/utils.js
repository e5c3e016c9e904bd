/*
 * Helpers of the generated SDK (apiGateway.core.utils): checking required parameters and picking a method's
 * parameters out of the caller's `params`. Written for Gatehouse, with the names API Gateway's generated SDK uses.
 */
var apiGateway = (typeof apiGateway !== 'undefined' && apiGateway) ? apiGateway : {};
apiGateway.core = apiGateway.core || {};
apiGateway.core.utils = {
  assertDefined: function (object, name) {
    if (object === undefined) throw new Error(name + ' must be defined');
    return object;
  },
  assertParametersDefined: function (params, keys, ignore) {
    if (keys === undefined) return;
    if (keys.length > 0 && params === undefined) params = {};
    for (var i = 0; i < keys.length; i++) {
      if (!apiGateway.core.utils.contains(ignore, keys[i])) apiGateway.core.utils.assertDefined(params[keys[i]], keys[i]);
    }
  },
  parseParametersToObject: function (params, keys) {
    if (params === undefined) return {};
    var object = {};
    for (var i = 0; i < keys.length; i++) {
      if (params[keys[i]] !== undefined) object[keys[i]] = params[keys[i]];
    }
    return object;
  },
  contains: function (a, obj) {
    if (a === undefined) return false;
    for (var i = 0; i < a.length; i++) if (a[i] === obj) return true;
    return false;
  },
  copy: function (obj) {
    if (obj === null || typeof obj !== 'object') return obj;
    var copy = {};
    for (var attr in obj) if (Object.prototype.hasOwnProperty.call(obj, attr)) copy[attr] = obj[attr];
    return copy;
  },
  mergeInto: function (baseObj, additionalProps) {
    if (baseObj === null || typeof baseObj !== 'object') return baseObj;
    var merged = apiGateway.core.utils.copy(baseObj);
    for (var attr in additionalProps) {
      if (Object.prototype.hasOwnProperty.call(additionalProps, attr)) merged[attr] = additionalProps[attr];
    }
    return merged;
  }
};
