/*
 * SHA-256, HMAC-SHA256 and the hex, Base64 and UTF-8 encoders the request signer needs, behind the small part of
 * the CryptoJS interface that API Gateway's generated JavaScript SDKs call (CryptoJS.SHA256, CryptoJS.HmacSHA256,
 * CryptoJS.enc.Hex / Base64 / Utf8), so pages that load the SDK's script list keep working. Written for Gatehouse
 * (FIPS 180-4 and RFC 2104); synchronous, no dependencies, runs in browsers and in Node 18+.
 * Every CryptoJS file of the SDK carries this same code; whichever loads first defines CryptoJS.
 */
var CryptoJS = (typeof CryptoJS !== 'undefined' && CryptoJS && CryptoJS.SHA256) ? CryptoJS : (function () {
  'use strict';
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
    0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
    0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  function sha256(msg) {
    var l = msg.length;
    var n = ((l + 9 + 63) >> 6) << 6;
    var buf = new Uint8Array(n);
    buf.set(msg);
    buf[l] = 0x80;
    var dv = new DataView(buf.buffer);
    dv.setUint32(n - 8, Math.floor(l / 0x20000000));
    dv.setUint32(n - 4, (l << 3) >>> 0);
    var H = H0.slice();
    var W = new Uint32Array(64);
    for (var off = 0; off < n; off += 64) {
      var i;
      for (i = 0; i < 16; i++) W[i] = dv.getUint32(off + i * 4);
      for (i = 16; i < 64; i++) {
        var w15 = W[i - 15], w2 = W[i - 2];
        var s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
        var s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) >>> 0;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) >>> 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        h = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      H[0] = (H[0] + a) >>> 0; H[1] = (H[1] + b) >>> 0; H[2] = (H[2] + c) >>> 0; H[3] = (H[3] + d) >>> 0;
      H[4] = (H[4] + e) >>> 0; H[5] = (H[5] + f) >>> 0; H[6] = (H[6] + g) >>> 0; H[7] = (H[7] + h) >>> 0;
    }
    var out = new Uint8Array(32);
    var odv = new DataView(out.buffer);
    for (var j = 0; j < 8; j++) odv.setUint32(j * 4, H[j]);
    return out;
  }

  function hmacSha256(key, msg) {
    if (key.length > 64) key = sha256(key);
    var inner = new Uint8Array(64 + msg.length);
    var outer = new Uint8Array(64 + 32);
    for (var i = 0; i < 64; i++) {
      var k = i < key.length ? key[i] : 0;
      inner[i] = k ^ 0x36;
      outer[i] = k ^ 0x5c;
    }
    inner.set(msg, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }

  /** A digest or any byte string; toString() gives hex unless given an encoder, as CryptoJS's WordArray does. */
  function Bytes(bytes) { this.bytes = bytes; this.sigBytes = bytes.length; }
  Bytes.prototype.toString = function (encoder) { return (encoder || Hex).stringify(this); };

  var Hex = {
    stringify: function (b) {
      var s = '';
      for (var i = 0; i < b.bytes.length; i++) s += (b.bytes[i] < 16 ? '0' : '') + b.bytes[i].toString(16);
      return s;
    },
    parse: function (hex) {
      var out = new Uint8Array(hex.length >> 1);
      for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
      return new Bytes(out);
    }
  };
  var Utf8 = {
    stringify: function (b) { return new TextDecoder().decode(b.bytes); },
    parse: function (s) { return new Bytes(new TextEncoder().encode(s)); }
  };
  var Base64 = {
    stringify: function (b) {
      var s = '';
      for (var i = 0; i < b.bytes.length; i++) s += String.fromCharCode(b.bytes[i]);
      return btoa(s);
    },
    parse: function (s) {
      var bin = atob(s);
      var out = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return new Bytes(out);
    }
  };

  /** A string (hashed as UTF-8), a Uint8Array, or a digest. */
  function bytesOf(m) {
    if (typeof m === 'string') return new TextEncoder().encode(m);
    return m instanceof Uint8Array ? m : m.bytes;
  }

  return {
    SHA256: function (message) { return new Bytes(sha256(bytesOf(message))); },
    HmacSHA256: function (message, key) { return new Bytes(hmacSha256(bytesOf(key), bytesOf(message))); },
    enc: { Hex: Hex, Utf8: Utf8, Base64: Base64 }
  };
})();
