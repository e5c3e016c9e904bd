// `/…/` and `/…/i` literals in filters are java.util.regex Patterns matched with `Matcher.matches()` (the whole
// string). Compiled once, at path compile time, on the linear-time engine of src/regex (RE2): filter regexes run
// on request bodies and must never backtrack catastrophically. Integration-response selection patterns use the
// same class (AWS matches them against the whole status code or Lambda error message).

import { invalidPath } from './errors.ts';
import { compileJavaRegex, RegexSyntaxError, type JavaRegex } from '../regex/java.ts';

export class JavaPattern {
  readonly source: string;
  readonly #regex: JavaRegex;
  constructor(source: string, ignoreCase: boolean) {
    this.source = source;
    try {
      this.#regex = compileJavaRegex(source, ignoreCase);
    } catch (e) {
      if (e instanceof RegexSyntaxError) throw invalidPath(`java.util.regex.PatternSyntaxException: ${e.description}`);
      throw e;
    }
  }
  /** Pattern.matcher(s).matches() */
  matches(s: string): boolean {
    return this.#regex.re.testExact(s);
  }
  toString(): string {
    return this.source;
  }
}
