// Java's UTF-8 conversions, for the $util functions that convert between strings and bytes (base64Encode /
// base64Decode, urlEncode / urlDecode). They differ from Node's on malformed input:
//  - String.getBytes(UTF_8) writes a lone surrogate as '?' (Node: EF BF BD);
//  - new String(bytes, UTF_8) replaces malformed sequences with U+FFFD by Java's own rules (JDK 17
//    String.decodeUTF8_UTF16): an encoded surrogate (ED A0 80) is one U+FFFD, not three; a truncated sequence at
//    the end is one U+FFFD. Checked byte for byte against the oracle's JDK (test/vtl/golden, cases-fidelity).
import { isUtf8 } from 'node:buffer';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** String.getBytes(StandardCharsets.UTF_8). */
export function javaUtf8Encode(s: string): Buffer {
  return Buffer.from(s.isWellFormed() ? s : s.replace(LONE_SURROGATE, '?'), 'utf8');
}

const REPL = '\ufffd';
const notContinuation = (b: number) => (b & 0xc0) !== 0x80;
const malformed3x2 = (b1: number, b2: number) => (b1 === 0xe0 && (b2 & 0xe0) === 0x80) || notContinuation(b2);
const malformed4x2 = (b1: number, b2: number) =>
  (b1 === 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80) || notContinuation(b2);

/** new String(bytes, StandardCharsets.UTF_8). */
export function javaUtf8Decode(bytes: Uint8Array): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let out = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b1 = bytes[i++]!;
    if (b1 < 0x80) {
      out += String.fromCharCode(b1);
    } else if (b1 >= 0xc2 && b1 <= 0xdf) {
      if (i < n) {
        const b2 = bytes[i]!;
        if (notContinuation(b2)) out += REPL; // b2 starts over
        else {
          out += String.fromCharCode(((b1 & 0x1f) << 6) | (b2 & 0x3f));
          i++;
        }
        continue;
      }
      out += REPL;
      break;
    } else if (b1 >= 0xe0 && b1 <= 0xef) {
      if (i + 1 < n) {
        const b2 = bytes[i]!;
        const b3 = bytes[i + 1]!;
        if (malformed3x2(b1, b2) || notContinuation(b3)) {
          out += REPL;
          i += malformed3x2(b1, b2) ? 0 : 1; // the lead alone, or lead and b2, are the malformed sequence
        } else {
          const c = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
          out += c >= 0xd800 && c <= 0xdfff ? REPL : String.fromCharCode(c);
          i += 2;
        }
        continue;
      }
      if (i < n && malformed3x2(b1, bytes[i]!)) {
        out += REPL;
        continue;
      }
      out += REPL;
      break;
    } else if (b1 >= 0xf0 && b1 <= 0xf7) {
      if (i + 2 < n) {
        const b2 = bytes[i]!;
        const b3 = bytes[i + 1]!;
        const b4 = bytes[i + 2]!;
        const uc = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
        if (notContinuation(b2) || notContinuation(b3) || notContinuation(b4) || uc < 0x10000 || uc > 0x10ffff) {
          out += REPL;
          // Java's malformed4: how many bytes the malformed sequence spans (the rest starts over).
          if (b1 > 0xf4 || malformed4x2(b1, b2)) i += 0;
          else if (notContinuation(b3)) i += 1;
          else i += 2;
        } else {
          out += String.fromCodePoint(uc);
          i += 3;
        }
        continue;
      }
      if (b1 > 0xf4 || (i < n && malformed4x2(b1, bytes[i]!))) {
        out += REPL;
        continue;
      }
      i++;
      out += REPL;
      if (i < n && notContinuation(bytes[i]!)) continue;
      break;
    } else {
      out += REPL;
    }
  }
  return out;
}
