// The allow-list: the Java methods a template may call on strings, lists, maps, numbers, booleans and map
// entries, emulated with Java's behaviour (exceptions included). Anything not listed here does not exist for a
// template: the call yields null, exactly as Velocity does for a method it cannot find.
import { JavaException } from './errors.ts';
import { javaMatches, javaReplace, javaSplit, replaceText } from './java-regex.ts';
import {
  JavaCollection, JavaDouble, JavaFloat, MapEntry, compareNumbers, isJavaNumber, javaEquals, javaToString, toDouble, toJavaInt,
  toJavaLong,
} from './java-values.ts';

/** What a void method returns: Velocity renders the call as nothing. */
const VOID = '';

/** Returned when no allow-listed method matches the name and argument types. */
export const NO_METHOD: unique symbol = Symbol('NO_METHOD');
export type MethodResult = unknown | typeof NO_METHOD;

/** An int argument: Velocity passes Integer to int parameters, but not Long or Double. */
function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function npe(): JavaException {
  return new JavaException('java.lang.NullPointerException', 'null');
}

function stringIndex(message: string): JavaException {
  return new JavaException('java.lang.StringIndexOutOfBoundsException', message);
}

function listIndex(index: number, size: number): JavaException {
  return new JavaException('java.lang.IndexOutOfBoundsException', `Index ${index} out of bounds for length ${size}`);
}

/** A CharSequence argument that may be null (null throws NullPointerException inside the method). */
function seq(v: unknown): string | null | undefined {
  return v === null || v === undefined ? null : str(v);
}

function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return s.slice(a, b);
}

/** Java's String.hashCode(). */
export function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function foldCase(s: string): string {
  return s.toUpperCase().toLowerCase();
}

export function stringMethod(s: string, name: string, args: readonly unknown[]): MethodResult {
  const n = args.length;
  const a0 = args[0];
  const a1 = args[1];
  switch (name) {
    case 'length':
      if (n === 0) return s.length;
      break;
    case 'isEmpty':
      if (n === 0) return s.length === 0;
      break;
    case 'toString':
    case 'intern':
      if (n === 0) return s;
      break;
    case 'hashCode':
      if (n === 0) return javaHash(s);
      break;
    case 'toLowerCase':
      if (n === 0) return s.toLowerCase();
      break;
    case 'toUpperCase':
      if (n === 0) return s.toUpperCase();
      break;
    case 'trim':
      if (n === 0) return javaTrim(s);
      break;
    case 'charAt': {
      const i = int(a0);
      if (n === 1 && i !== undefined) {
        if (i < 0 || i >= s.length) throw stringIndex(`index ${i}, length ${s.length}`);
        return s[i];
      }
      break;
    }
    case 'substring': {
      const b = int(a0);
      const e = n === 2 ? int(a1) : s.length;
      if ((n === 1 || n === 2) && b !== undefined && e !== undefined) {
        if (b < 0 || e > s.length || b > e) throw stringIndex(`begin ${b}, end ${e}, length ${s.length}`);
        return s.slice(b, e);
      }
      break;
    }
    case 'indexOf':
    case 'lastIndexOf': {
      if (n < 1 || n > 2) break;
      const from = n === 2 ? int(a1) : undefined;
      if (n === 2 && from === undefined) break;
      let needle: string;
      const code = int(a0);
      if (code !== undefined) needle = String.fromCodePoint(Math.max(0, Math.min(code, 0x10ffff)));
      else {
        const q = seq(a0);
        if (q === undefined) break;
        if (q === null) throw npe();
        needle = q;
      }
      if (name === 'indexOf') return from === undefined ? s.indexOf(needle) : s.indexOf(needle, Math.max(0, from));
      if (from !== undefined && from < 0) return -1;
      return from === undefined ? s.lastIndexOf(needle) : s.lastIndexOf(needle, from);
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'concat': {
      const q = seq(a0);
      if (q === undefined || (n !== 1 && !(n === 2 && name === 'startsWith'))) break;
      if (q === null) throw npe();
      if (name === 'contains') return s.includes(q);
      if (name === 'endsWith') return s.endsWith(q);
      if (name === 'concat') return s + q;
      if (n === 2) {
        const off = int(a1);
        if (off === undefined) break;
        return off >= 0 && off <= s.length && s.startsWith(q, off);
      }
      return s.startsWith(q);
    }
    case 'equals':
      if (n === 1) return javaEquals(s, a0);
      break;
    case 'equalsIgnoreCase':
      if (n === 1 && (a0 === null || a0 === undefined || typeof a0 === 'string')) {
        return typeof a0 === 'string' && a0.length === s.length && foldCase(a0) === foldCase(s);
      }
      break;
    case 'compareTo':
    case 'compareToIgnoreCase': {
      const q = seq(a0);
      if (n !== 1 || q === undefined) break;
      if (q === null) throw npe();
      return name === 'compareTo' ? compareStrings(s, q) : compareStrings(foldCase(s), foldCase(q));
    }
    case 'replace': {
      const x = seq(a0);
      const y = seq(a1);
      if (n !== 2 || x === undefined || y === undefined) break;
      if (x === null || y === null) throw npe();
      return x.length ? replaceText(s, x, y, true) : s.replaceAll(x, () => y);
    }
    case 'replaceAll':
    case 'replaceFirst': {
      const x = seq(a0);
      const y = seq(a1);
      if (n !== 2 || x === undefined || y === undefined) break;
      if (x === null || y === null) throw npe();
      return javaReplace(s, x, y, name === 'replaceAll');
    }
    case 'matches': {
      const x = seq(a0);
      if (n !== 1 || x === undefined) break;
      if (x === null) throw npe();
      return javaMatches(s, x);
    }
    case 'split': {
      const x = seq(a0);
      const limit = n === 2 ? int(a1) : 0;
      if ((n !== 1 && n !== 2) || x === undefined || limit === undefined) break;
      if (x === null) throw npe();
      return javaSplit(s, x, limit);
    }
    default:
      break;
  }
  return NO_METHOD;
}

/** What a Set / Collection view answers (the rest of List's methods do not exist on it). */
const COLLECTION_METHODS = new Set(['size', 'isEmpty', 'toString', 'contains', 'equals']);

export function listMethod(list: unknown[], name: string, args: readonly unknown[]): MethodResult {
  const n = args.length;
  if (list instanceof JavaCollection && !COLLECTION_METHODS.has(name)) return NO_METHOD;
  const a0 = args[0];
  switch (name) {
    case 'size':
      if (n === 0) return list.length;
      break;
    case 'isEmpty':
      if (n === 0) return list.length === 0;
      break;
    case 'toString':
      if (n === 0) return javaToString(list);
      break;
    case 'get': {
      const i = int(a0);
      if (n === 1 && i !== undefined) {
        if (i < 0 || i >= list.length) throw listIndex(i, list.length);
        return list[i] ?? null;
      }
      break;
    }
    case 'contains':
      if (n === 1) return list.some((x) => javaEquals(a0, x));
      break;
    case 'indexOf':
      if (n === 1) return list.findIndex((x) => javaEquals(a0, x));
      break;
    case 'lastIndexOf':
      if (n === 1) return list.findLastIndex((x) => javaEquals(a0, x));
      break;
    case 'equals':
      if (n === 1) return javaEquals(list, a0);
      break;
    case 'add': {
      if (n === 1) {
        list.push(a0 ?? null);
        return true;
      }
      const i = int(a0);
      if (n === 2 && i !== undefined) {
        if (i < 0 || i > list.length) throw listIndex(i, list.length);
        list.splice(i, 0, args[1] ?? null);
        return VOID;
      }
      break;
    }
    case 'addAll':
      if (n === 1 && Array.isArray(a0)) {
        // A loop, not push(...a0): spreading a large list overflows the stack (and a0 may be the list itself).
        const count = a0.length;
        for (let i = 0; i < count; i++) list.push(a0[i]);
        return count > 0;
      }
      break;
    case 'set': {
      const i = int(a0);
      if (n === 2 && i !== undefined) {
        if (i < 0 || i >= list.length) throw listIndex(i, list.length);
        const old = list[i];
        list[i] = args[1] ?? null;
        return old ?? null;
      }
      break;
    }
    case 'remove': {
      if (n !== 1) break;
      const i = int(a0);
      if (i !== undefined) {
        // remove(int) wins over remove(Object) for an Integer argument.
        if (i < 0 || i >= list.length) throw listIndex(i, list.length);
        return list.splice(i, 1)[0] ?? null;
      }
      const at = list.findIndex((x) => javaEquals(a0, x));
      if (at < 0) return false;
      list.splice(at, 1);
      return true;
    }
    case 'clear':
      if (n === 0) {
        list.length = 0;
        return VOID;
      }
      break;
    case 'subList': {
      const from = int(a0);
      const to = int(args[1]);
      if (n === 2 && from !== undefined && to !== undefined) {
        if (from < 0 || to > list.length || from > to) throw listIndex(from < 0 ? from : to, list.length);
        return list.slice(from, to);
      }
      break;
    }
    default:
      break;
  }
  return NO_METHOD;
}

export function mapMethod(map: Map<unknown, unknown>, name: string, args: readonly unknown[]): MethodResult {
  const n = args.length;
  const a0 = args[0] ?? null;
  switch (name) {
    case 'size':
      if (n === 0) return map.size;
      break;
    case 'isEmpty':
      if (n === 0) return map.size === 0;
      break;
    case 'toString':
      if (n === 0) return javaToString(map);
      break;
    case 'equals':
      if (n === 1) return javaEquals(map, a0);
      break;
    case 'get':
      if (n === 1) return map.get(a0) ?? null;
      break;
    case 'getOrDefault':
      if (n === 2) return map.has(a0) ? map.get(a0) ?? null : args[1] ?? null;
      break;
    case 'containsKey':
      if (n === 1) return map.has(a0);
      break;
    case 'containsValue':
      if (n === 1) {
        for (const v of map.values()) if (javaEquals(a0, v)) return true;
        return false;
      }
      break;
    case 'put': {
      if (n !== 2) break;
      const old = map.get(a0);
      map.set(a0, args[1] ?? null);
      return old ?? null;
    }
    case 'putIfAbsent': {
      if (n !== 2) break;
      const old = map.get(a0);
      if (old === undefined || old === null) map.set(a0, args[1] ?? null);
      return old ?? null;
    }
    case 'putAll':
      if (n === 1 && a0 instanceof Map) {
        for (const [k, v] of a0) map.set(k, v);
        return VOID;
      }
      break;
    case 'remove': {
      if (n !== 1) break;
      const old = map.get(a0);
      map.delete(a0);
      return old ?? null;
    }
    case 'clear':
      if (n === 0) {
        map.clear();
        return VOID;
      }
      break;
    case 'keySet':
      if (n === 0) return JavaCollection.fromItems(map.keys());
      break;
    case 'values':
      if (n === 0) return JavaCollection.fromItems(map.values());
      break;
    case 'entrySet':
      if (n === 0) return JavaCollection.fromItems([...map].map(([k, v]) => new MapEntry(map, k, v)));
      break;
    default:
      break;
  }
  return NO_METHOD;
}

export function numberMethod(v: number | bigint | JavaDouble | JavaFloat, name: string, args: readonly unknown[]): MethodResult {
  const n = args.length;
  if (n === 0) {
    switch (name) {
      case 'intValue':
      case 'shortValue':
      case 'byteValue': {
        const i = toJavaInt(v);
        if (name === 'shortValue') return (i << 16) >> 16;
        if (name === 'byteValue') return (i << 24) >> 24;
        return i;
      }
      case 'longValue':
        return toJavaLong(v);
      case 'doubleValue':
        return new JavaDouble(toDouble(v));
      case 'floatValue':
        return new JavaFloat(toDouble(v));
      case 'toString':
        return javaToString(v);
      case 'isNaN':
      case 'isInfinite':
        if (v instanceof JavaDouble || v instanceof JavaFloat) {
          return name === 'isNaN' ? Number.isNaN(v.value) : v.value === Infinity || v.value === -Infinity;
        }
        break;
      default:
        break;
    }
    return NO_METHOD;
  }
  if (n === 1 && name === 'equals') return javaEquals(v, args[0]);
  if (n === 1 && name === 'compareTo' && isJavaNumber(args[0])) {
    // Integer.compareTo(Integer), Double.compareTo(Double): another boxed type is a ClassCastException.
    const a = args[0];
    if ((a instanceof JavaDouble) !== (v instanceof JavaDouble) || (a instanceof JavaFloat) !== (v instanceof JavaFloat)) {
      throw new JavaException('java.lang.ClassCastException', 'incompatible number types');
    }
    return compareNumbers(v, a);
  }
  return NO_METHOD;
}

export function booleanMethod(v: boolean, name: string, args: readonly unknown[]): MethodResult {
  if (args.length === 0 && (name === 'booleanValue')) return v;
  if (args.length === 0 && name === 'toString') return String(v);
  if (args.length === 1 && name === 'equals') return javaEquals(v, args[0]);
  return NO_METHOD;
}

export function entryMethod(e: MapEntry, name: string, args: readonly unknown[]): MethodResult {
  if (args.length === 0) {
    if (name === 'getKey') return e.key ?? null;
    if (name === 'getValue') return e.value ?? null;
    if (name === 'toString') return javaToString(e);
  }
  if (args.length === 1 && name === 'setValue') {
    const old = e.value;
    e.value = args[0] ?? null;
    e.map.set(e.key, e.value);
    return old ?? null;
  }
  return NO_METHOD;
}
