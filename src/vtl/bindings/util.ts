// `$util`: escapeJavaScript (commons-lang 2 StringEscapeUtils), parseJson, urlEncode / urlDecode
// (java.net.URLEncoder / URLDecoder, UTF-8), base64Encode / base64Decode (java.util.Base64, UTF-8 text).
import { JsonSyntaxError, parseJavaJson } from '../../jsonpath/json.ts';
import { JavaException } from '../errors.ts';
import { HostObject, NO_METHOD } from '../runtime.ts';
import { javaUtf8Decode, javaUtf8Encode } from '../java-utf8.ts';

function hex(c: number): string {
  return c.toString(16).toUpperCase();
}

/** commons-lang StringEscapeUtils.escapeJavaScript: `'` `"` `\` `/` escaped, controls and non-ASCII as \uXXXX. */
export function escapeJavaScript(s: string): string {
  let out = '';
  let from = 0; // start of the run of characters copied as they are
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let e: string;
    if (c >= 32 && c <= 0x7f) {
      if (c === 39) e = "\\'";
      else if (c === 34) e = '\\"';
      else if (c === 92) e = '\\\\';
      else if (c === 47) e = '\\/';
      else continue; // DEL (0x7f) too, as commons-lang does
    } else if (c > 0xfff) e = `\\u${hex(c)}`;
    else if (c > 0xff) e = `\\u0${hex(c)}`;
    else if (c > 0x7f) e = `\\u00${hex(c)}`;
    else {
      switch (c) {
        case 8: e = '\\b'; break;
        case 10: e = '\\n'; break;
        case 9: e = '\\t'; break;
        case 12: e = '\\f'; break;
        case 13: e = '\\r'; break;
        default: e = c > 0xf ? `\\u00${hex(c)}` : `\\u000${hex(c)}`;
      }
    }
    // Whole runs are appended, not single characters: fewer, larger string pieces.
    out += from < i ? s.slice(from, i) + e : e;
    from = i + 1;
  }
  return from === 0 ? s : from < s.length ? out + s.slice(from) : out;
}

/** java.net.URLEncoder.encode(s, "UTF-8"): letters, digits and `.-*_` kept, space as `+`, the rest %XX. */
export function urlEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45 || c === 42 || c === 95) {
      out += s[i];
    } else if (c === 32) {
      out += '+';
    } else {
      let ch = s[i]!;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          ch += s[i + 1];
          i++;
        }
      }
      // A lone surrogate is encoded as '?', as Java's UTF-8 encoder replaces it.
      const isLone = ch.length === 1 && c >= 0xd800 && c <= 0xdfff;
      for (const b of Buffer.from(isLone ? '?' : ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * Integer.parseInt(s, 16) of a %XX escape: an optional sign, then hex digits (`%+1` is byte 1, `%-0` byte 0);
 * NaN when Java throws NumberFormatException.
 */
function parseHexEscape(h: string): number {
  return /^[+-]?[0-9a-fA-F]+$/.test(h) ? parseInt(h, 16) : NaN;
}

/** java.net.URLDecoder.decode(s, UTF_8): `+` is a space, runs of %XX are UTF-8 bytes (Java's decoding of them). */
export function urlDecode(s: string): string {
  let out = '';
  let from = 0; // start of the run of characters copied as they are
  const n = s.length;
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    if (c === 43) { // '+'
      out += s.slice(from, i) + ' ';
      from = ++i;
    } else if (c === 37) { // '%'
      out += s.slice(from, i);
      const bytes: number[] = [];
      while (i + 2 < n && s.charCodeAt(i) === 37) {
        const h = s.slice(i + 1, i + 3);
        const v = parseHexEscape(h);
        if (Number.isNaN(v)) {
          throw new JavaException('java.lang.IllegalArgumentException', `URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: "${h}"`);
        }
        if (v < 0) throw new JavaException('java.lang.IllegalArgumentException', 'URLDecoder: Illegal hex characters in escape (%) pattern - negative value');
        bytes.push(v);
        i += 3;
      }
      if (i < n && s.charCodeAt(i) === 37) {
        throw new JavaException('java.lang.IllegalArgumentException', 'URLDecoder: Incomplete trailing escape (%) pattern');
      }
      out += javaUtf8Decode(Uint8Array.from(bytes));
      from = i;
    } else {
      i++;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/** Base64.getEncoder().encodeToString(s.getBytes(UTF_8)). */
export function base64Encode(s: string): string {
  return javaUtf8Encode(s).toString('base64');
}

const BASE64_VALUES = (() => {
  const t = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  t[61] = -2; // '='
  return t;
})();

function illegalBase64(message: string): JavaException {
  return new JavaException('java.lang.IllegalArgumentException', message);
}

/**
 * new String(Base64.getDecoder().decode(s), UTF_8): the basic alphabet only, no line breaks, padding optional but
 * never wrong; Java's messages (JDK 17 Base64.Decoder.decode0) for each way input can be wrong.
 */
export function base64Decode(s: string): string {
  const n = s.length;
  if (n === 0) return '';
  if (n < 2) throw illegalBase64('Input byte[] should at least have 2 bytes for base64 bytes');
  // Java decodes the String's ISO-8859-1 bytes: other characters are '?', which is not base64.
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && (n % 4 === 0 || (n % 4 !== 1 && !s.endsWith('=')))) {
    return javaUtf8Decode(Buffer.from(s, 'base64'));
  }
  let bits = 0;
  let shiftto = 18;
  let i = 0;
  while (i < n) {
    const code = s.charCodeAt(i++);
    const b = BASE64_VALUES[code > 0xff ? 63 : code]!;
    if (b < 0) {
      if (b === -2) {
        if ((shiftto === 6 && (i === n || s.charCodeAt(i++) !== 61)) || shiftto === 18) {
          throw illegalBase64('Input byte array has wrong 4-byte ending unit');
        }
        break;
      }
      // Integer.toString of the signed byte: 'é' (0xE9) is "-17"; a character beyond Latin-1 is '?' (3f).
      const byte = code > 0xff ? 0x3f : code > 0x7f ? code - 256 : code;
      throw illegalBase64(`Illegal base64 character ${byte.toString(16)}`);
    }
    bits |= b << shiftto;
    shiftto -= 6;
    if (shiftto < 0) {
      shiftto = 18;
      bits = 0;
    }
  }
  if (shiftto === 12) throw illegalBase64('Last unit does not have enough valid bits');
  if (i < n) throw illegalBase64(`Input byte array has incorrect ending byte at ${i}`);
  // Well formed after all (an unpadded tail): Node decodes what Java accepted the same way.
  return javaUtf8Decode(Buffer.from(s, 'base64'));
}

const FUNCTIONS = new Set(['escapeJavaScript', 'parseJson', 'urlEncode', 'urlDecode', 'base64Encode', 'base64Decode']);

export class UtilBinding extends HostObject {
  /**
   * API Gateway's $util answers a null argument with null (recorded on AWS for urlEncode: LocalStack's
   * test_input_body_formatting renders `$util.urlEncode($input.body.testAccess)` as nothing, no error); plain
   * Java (the 'velocity' dialect, the oracle's $util) throws NullPointerException.
   */
  private readonly nullSafe: boolean;

  constructor(nullSafe = true) {
    super();
    this.nullSafe = nullSafe;
  }

  vtlProperty(): unknown {
    return NO_METHOD;
  }

  vtlCall(name: string, args: readonly unknown[]): unknown {
    if (args.length !== 1) return NO_METHOD;
    const a = args[0];
    // Every $util function takes a String: another argument type finds no method (null), as in Velocity.
    if (a !== null && a !== undefined && typeof a !== 'string') return NO_METHOD;
    if (a === null || a === undefined) {
      if (!FUNCTIONS.has(name)) return NO_METHOD;
      // commons-lang's escapeJavaScript(null) is null in Java too.
      if (this.nullSafe || name === 'escapeJavaScript') return null;
      throw new JavaException('java.lang.NullPointerException', 'null');
    }
    switch (name) {
      case 'escapeJavaScript':
        return escapeJavaScript(a);
      case 'parseJson':
        try {
          return parseJavaJson(a);
        } catch (e) {
          if (e instanceof JsonSyntaxError) throw new JavaException('com.fasterxml.jackson.core.JsonParseException', e.message);
          throw e;
        }
      case 'urlEncode':
        return urlEncode(a);
      case 'urlDecode':
        return urlDecode(a);
      case 'base64Encode':
        return base64Encode(a);
      case 'base64Decode':
        return base64Decode(a);
      default:
        return NO_METHOD;
    }
  }

  javaToString(): string {
    return '$util';
  }
}
