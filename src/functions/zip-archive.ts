// Reading a deployment package: the entry list from the zip's central directory (ZIP64 included), and each entry's
// bytes inflated as a stream. Nothing the archive declares about sizes is trusted: the caller counts the bytes that
// actually come out, so a zip whose headers under-declare its contents (a zip bomb) is stopped at Lambda's limit
// instead of being inflated whole. Used by the code worker (code-worker.ts), never on the server's event loop.
import { posix } from 'node:path';
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';

/** The archive is not a zip Gatehouse can unpack (Lambda's text for every such case). */
export class BadZipError extends Error {}
/** More bytes came out of the archive than the budget allows. */
export class UnzippedTooLargeError extends Error {}

export interface ZipEntry {
  /** Normalised relative path (POSIX separators), without a trailing slash. */
  path: string;
  directory: boolean;
  /** Unix st_mode when the entry was made on Unix (zip's "version made by" host 3), else 0. */
  mode: number;
  method: number;
  crc: number;
  /** As declared: used only to check the bytes that came out, never to size anything. */
  declaredSize: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32 = 0xffffffff;
/** Compressed bytes fed to the inflater at a time: at most ~4 MB comes out of one step. */
const INFLATE_STEP = 4096;

/** The entries of a zip, from its central directory; throws BadZipError for anything malformed or unsafe. */
export function readCentralDirectory(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.byteLength - 22; i >= Math.max(0, zip.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new BadZipError('no end of central directory');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === U32) && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const z = safeNumber(view.getBigUint64(eocd - 12, true));
    if (z + 56 > zip.byteLength || view.getUint32(z, true) !== ZIP64_EOCD) throw new BadZipError('bad ZIP64 end of central directory');
    count = safeNumber(view.getBigUint64(z + 32, true));
    offset = safeNumber(view.getBigUint64(z + 48, true));
  }
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.byteLength || view.getUint32(p, true) !== CENTRAL) throw new BadZipError('truncated central directory');
    const madeBy = view.getUint16(p + 4, true) >> 8;
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let declaredSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    let localHeaderOffset = view.getUint32(p + 42, true);
    const nameEnd = p + 46 + nameLen;
    if (nameEnd + extraLen > zip.byteLength) throw new BadZipError('truncated central directory');
    const rawName = decoder.decode(zip.subarray(p + 46, nameEnd));
    // ZIP64 extended information: present fields replace the ones set to 0xFFFFFFFF, in this order.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLen; ) {
      const id = view.getUint16(e, true);
      const size = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let f = e + 4;
        const next = () => {
          if (f + 8 > e + 4 + size) throw new BadZipError('bad ZIP64 extra field');
          const v = safeNumber(view.getBigUint64(f, true));
          f += 8;
          return v;
        };
        if (declaredSize === U32) declaredSize = next();
        if (compressedSize === U32) compressedSize = next();
        if (localHeaderOffset === U32) localHeaderOffset = next();
      }
      e += 4 + size;
    }
    p = nameEnd + extraLen + commentLen;
    if (flags & 1) throw new BadZipError('encrypted entry');
    if (method !== 0 && method !== 8) throw new BadZipError(`compression method ${method}`);
    const directory = rawName.endsWith('/');
    const path = safePath(rawName);
    if (path === '') {
      if (directory) continue; // "./" and the like
      throw new BadZipError('empty entry name');
    }
    if (seen.has(path)) throw new BadZipError(`duplicate entry ${path}`);
    seen.add(path);
    entries.push({ path, directory, mode: madeBy === 3 ? external >>> 16 : 0, method, crc, declaredSize, compressedSize, localHeaderOffset });
  }
  return entries;
}

/**
 * An entry name as a path inside the task directory. Absolute names, `..` segments that climb out, NUL bytes and
 * backslashes (a Windows separator some tools write, which would name a different file on Linux) are refused:
 * nothing in a package may land outside its directory (zip slip).
 */
function safePath(name: string): string {
  if (name.includes('\0') || name.includes('\\') || name.startsWith('/')) throw new BadZipError(`unsafe entry name ${JSON.stringify(name)}`);
  const path = posix.normalize(name).replace(/\/+$/, '');
  if (path === '.' ) return '';
  if (path === '..' || path.startsWith('../')) throw new BadZipError(`unsafe entry name ${JSON.stringify(name)}`);
  return path;
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadZipError('size out of range');
  return Number(v);
}

/** The compressed bytes of an entry (after its local header), bounded by the archive itself. */
export function entryData(zip: Uint8Array, e: ZipEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const h = e.localHeaderOffset;
  if (h + 30 > zip.byteLength || view.getUint32(h, true) !== LOCAL) throw new BadZipError(`bad local header for ${e.path}`);
  const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
  const end = start + e.compressedSize;
  if (end > zip.byteLength) throw new BadZipError(`entry ${e.path} runs past the end of the archive`);
  return zip.subarray(start, end);
}

/**
 * Inflates (or copies, for stored entries) one entry, handing each chunk to `write` and counting the bytes that
 * come out against `budget` (the bytes still allowed for the whole package). Returns the entry's real size; throws
 * UnzippedTooLargeError as soon as the budget is exceeded, BadZipError when the data is corrupt or does not match
 * the CRC and size the archive declares. Synchronous, on the calling thread (the code worker's, whose priority is
 * lowered), with input fed in small steps so one step's output stays small even at deflate's 1:1032 ratio.
 */
export function inflateEntry(data: Uint8Array, e: ZipEntry, budget: number, write: (chunk: Uint8Array) => void): number {
  let size = 0;
  let crc = 0;
  const take = (chunk: Uint8Array) => {
    size += chunk.byteLength;
    if (size > budget) throw new UnzippedTooLargeError();
    crc = crc32(chunk, crc);
    write(chunk);
  };
  if (e.method === 0) {
    for (let i = 0; i < data.byteLength; i += 1 << 20) take(data.subarray(i, Math.min(data.byteLength, i + (1 << 20))));
  } else {
    const inflater = new Inflate((chunk) => take(chunk));
    try {
      if (data.byteLength === 0) inflater.push(data, true);
      for (let i = 0; i < data.byteLength; i += INFLATE_STEP) inflater.push(data.subarray(i, i + INFLATE_STEP), i + INFLATE_STEP >= data.byteLength);
    } catch (err) {
      if (err instanceof UnzippedTooLargeError) throw err;
      throw new BadZipError(`${e.path}: ${(err as Error).message}`);
    }
  }
  if (crc >>> 0 !== e.crc >>> 0 || size !== e.declaredSize) throw new BadZipError(`${e.path}: size or CRC does not match the central directory`);
  return size;
}
