// `$util`: escapeJavaScript (commons-lang 2 StringEscapeUtils), parseJson, urlEncode / urlDecode
// (java.net.URLEncoder / URLDecoder, UTF-8), base64Encode / base64Decode (java.util.Base64, UTF-8 text).
import { JsonSyntaxError, parseJavaJson } from '../../jsonpath/json.ts';
import { JavaException } from '../errors.ts';
import { HostObject, NO_METHOD } from '../runtime.ts';

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

/** java.net.URLDecoder.decode(s, "UTF-8"): `+` is a space, runs of %XX are UTF-8 bytes. */
export function urlDecode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        if (i + 2 >= s.length) {
          throw new JavaException('java.lang.IllegalArgumentException', 'URLDecoder: Incomplete trailing escape (%) pattern');
        }
        const h = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) {
          throw new JavaException('java.lang.IllegalArgumentException', 'URLDecoder: Illegal hex characters in escape (%) pattern');
        }
        bytes.push(parseInt(h, 16));
        i += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function base64Encode(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** java.util.Base64.getDecoder(): the basic alphabet only, padding optional but never wrong; else an exception. */
export function base64Decode(s: string): string {
  const body = s.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1 || (s.length !== body.length && s.length % 4 !== 0)) {
    throw new JavaException('java.lang.IllegalArgumentException', 'Illegal base64 character or length');
  }
  return Buffer.from(body, 'base64').toString('utf8');
}

export class UtilBinding extends HostObject {
  vtlProperty(): unknown {
    return NO_METHOD;
  }

  vtlCall(name: string, args: readonly unknown[]): unknown {
    if (args.length !== 1) return NO_METHOD;
    const a = args[0];
    // Every $util function takes a String: another argument type finds no method (null), as in Velocity.
    if (a !== null && a !== undefined && typeof a !== 'string') return NO_METHOD;
    const s = a ?? null;
    switch (name) {
      case 'escapeJavaScript':
        return s === null ? null : escapeJavaScript(s);
      case 'parseJson':
        if (s === null) throw new JavaException('java.lang.NullPointerException', 'null');
        try {
          return parseJavaJson(s);
        } catch (e) {
          if (e instanceof JsonSyntaxError) throw new JavaException('com.fasterxml.jackson.core.JsonParseException', e.message);
          throw e;
        }
      case 'urlEncode':
        if (s === null) throw new JavaException('java.lang.NullPointerException', 'null');
        return urlEncode(s);
      case 'urlDecode':
        if (s === null) throw new JavaException('java.lang.NullPointerException', 'null');
        return urlDecode(s);
      case 'base64Encode':
        if (s === null) throw new JavaException('java.lang.NullPointerException', 'null');
        return base64Encode(s);
      case 'base64Decode':
        if (s === null) throw new JavaException('java.lang.NullPointerException', 'null');
        return base64Decode(s);
      default:
        return NO_METHOD;
    }
  }

  javaToString(): string {
    return '$util';
  }
}
