// Commander argument parsers made from src/server/config.ts's parsers, shared by the `gatehouse` commands.
import { InvalidArgumentError } from 'commander';

/** A commander argument parser from one of config.ts's parsers (commander prints the one-line error). */
export function flag<T>(parse: (value: string, source: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value, 'value');
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message.replace(/^value="(?:[^"\\]|\\.)*" is /, ''));
    }
  };
}
