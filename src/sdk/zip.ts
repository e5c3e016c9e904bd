// Packs generated files into the zip GetSdk answers: deflated, in path order, every entry stamped with one time.
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { SdkFiles } from './target.ts';

export function zipFiles(files: SdkFiles, mtime: Date): Uint8Array {
  const entries: Zippable = {};
  for (const path of Object.keys(files).sort()) entries[path] = [strToU8(files[path]!), { mtime, level: 6 }];
  return zipSync(entries);
}
