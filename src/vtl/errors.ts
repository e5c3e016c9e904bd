// Template errors. Every error knows where it happened (1-based line and column in the template source), so the
// data plane can put the detail in the execution log while the client gets AWS's generic 500.

/** The template source is not valid VTL (found when compiling, once per deployment). */
export class VtlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'VtlSyntaxError';
    this.line = line;
    this.column = column;
  }
}

/**
 * Rendering failed the way Velocity fails: a Java method threw (Velocity's MethodInvocationException), or a
 * directive was misused at run time. `javaException` names the Java exception class Velocity would report.
 */
export class VtlRuntimeError extends Error {
  readonly line: number;
  readonly column: number;
  readonly javaException: string;
  constructor(message: string, line: number, column: number, javaException = 'VelocityException') {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'VtlRuntimeError';
    this.line = line;
    this.column = column;
    this.javaException = javaException;
  }
}

/** A sandbox limit was hit: output size, render time (CPU), memory built, range size, macro depth, render pool. */
export class VtlLimitError extends Error {
  readonly limit: 'output' | 'time' | 'memory' | 'range' | 'depth' | 'evaluate' | 'pool';
  constructor(limit: VtlLimitError['limit'], message: string) {
    super(message);
    this.name = 'VtlLimitError';
    this.limit = limit;
  }
}

/** Thrown by Java-method emulations; the runtime adds the template position and wraps it in VtlRuntimeError. */
export class JavaException extends Error {
  readonly javaClass: string;
  constructor(javaClass: string, message: string) {
    super(message);
    this.javaClass = javaClass;
  }
}
