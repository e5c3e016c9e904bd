// `$input`: the request (request templates) or the integration response (response templates) as API Gateway
// exposes it to mapping templates: body, json(path), path(path), params(), params(name).
import { JsonPathError, compileJsonPath } from '../../jsonpath/index.ts';
import { JavaDouble, JsonSyntaxError, parseJavaJson, stringifyJavaJson, type JavaValue } from '../../jsonpath/json.ts';
import { JavaException } from '../errors.ts';
import { HostObject, NO_METHOD, type RenderState } from '../runtime.ts';
import { markJsonArrays, parseJsonDocument } from '../java-values.ts';

/** What `$input` reads. Parameter maps hold one value per name (the last one, as API Gateway does). */
export interface InputSource {
  /** The raw body text ('' when there is none). */
  readonly body: string;
  readonly params: {
    readonly path: Readonly<Record<string, string>>;
    readonly querystring: Readonly<Record<string, string>>;
    readonly header: Readonly<Record<string, string>>;
  };
  /**
   * The body already parsed by the caller with `parseJsonDocument` (null when it is not JSON), so that one request
   * parses its body once for parameter mappings and the template. Called at most once per render, only when the
   * template reads the body as JSON. The template may change the document (`$root.items.add(…)`): share it only
   * with readers that are done before the render. Ignored in the 'velocity' dialect.
   */
  readonly document?: () => JavaValue;
}

const NOT_PARSED = Symbol('NOT_PARSED');
/** Estimated work per body character of parsing or printing JSON, and of walking the parsed document. */
const JSON_COST = 100;
const SCAN_COST = 20;

export class InputBinding extends HostObject {
  private readonly source: InputSource;
  /** The body parsed once per render, on first use; null when it is not JSON. */
  private parsed: JavaValue | typeof NOT_PARSED = NOT_PARSED;
  private paramsMap: Map<string, Map<string, string>> | null = null;
  /** Whether source.document was used (a second parse, after the template changed the document, parses afresh). */
  private documentTaken = false;
  private state: RenderState | null = null;
  /** The render's mutation count when path() last handed out part of the parsed document; -1: nothing handed out. */
  private handedOutAt = -1;

  /** API Gateway's reading of the body (an empty body is `{}`, arrays print as JSON) rather than the oracle's. */
  private readonly apiGateway: boolean;

  constructor(source: InputSource, apiGateway = true) {
    super();
    this.source = source;
    this.apiGateway = apiGateway;
  }

  override attach(s: RenderState): void {
    this.state = s;
  }

  vtlProperty(name: string): unknown {
    return name === 'body' ? this.body() : NO_METHOD;
  }

  /**
   * `$input.body`: the raw body; API Gateway hands templates an empty body as `{}` (recorded on AWS: LocalStack's
   * test_input_body_formatting renders `MessageBody=$input.body` of an empty POST as `MessageBody={}`).
   */
  private body(): string {
    const body = this.source.body;
    return body.length === 0 && this.apiGateway ? '{}' : body;
  }

  vtlCall(name: string, args: readonly unknown[]): unknown {
    const a0 = args[0];
    switch (name) {
      case 'getBody':
        return args.length === 0 ? this.body() : NO_METHOD;
      case 'path':
        if (args.length !== 1 || (a0 !== null && a0 !== undefined && typeof a0 !== 'string')) return NO_METHOD;
        return this.path(a0 ?? null);
      case 'json': {
        if (args.length !== 1 || (a0 !== null && a0 !== undefined && typeof a0 !== 'string')) return NO_METHOD;
        const value = this.path(a0 ?? null);
        // Printing a list or map costs about as much per character as parsing did (the body bounds its size).
        if (value !== null && typeof value === 'object' && !(value instanceof JavaDouble)) this.state?.charge(this.source.body.length * JSON_COST);
        return stringifyJavaJson(value);
      }
      case 'params':
        if (args.length === 0) return this.params();
        if (args.length === 1 && (typeof a0 === 'string' || a0 === null || a0 === undefined)) return this.param(a0 ?? null);
        return NO_METHOD;
      case 'toString':
        return args.length === 0 ? this.javaToString() : NO_METHOD;
      default:
        return NO_METHOD;
    }
  }

  javaToString(): string {
    return '$input';
  }

  /**
   * `$input.path(p)`: the JSONPath result as Java objects (maps, lists, strings, numbers), or null. Every call
   * sees the body as sent: results are shared until the template changes a list or map, after which the body is
   * parsed again (cheaper than copying every result, and templates rarely change what they read).
   */
  private path(expr: string | null): JavaValue {
    if (expr === null) throw new JavaException('java.lang.IllegalArgumentException', 'path can not be null');
    const mutations = this.state?.mutations ?? 0;
    if (this.parsed === NOT_PARSED || (this.handedOutAt >= 0 && this.handedOutAt !== mutations)) {
      this.handedOutAt = -1;
      this.parsed = this.parse();
    }
    if (this.parsed === null) return null;
    let result: JavaValue;
    try {
      const path = compileJsonPath(expr);
      // Wildcards, deep scans and filters walk the document (its size is about the body's).
      if (!path.definite) this.state?.charge(this.source.body.length * SCAN_COST);
      result = path.evaluate(this.parsed) ?? null;
    } catch (e) {
      if (e instanceof JsonPathError) return null;
      throw e;
    }
    if (result !== null && typeof result === 'object' && !(result instanceof JavaDouble)) {
      this.handedOutAt = mutations;
      // The list of an indefinite path is Jayway's JSONArray too.
      if (this.apiGateway && Array.isArray(result)) markJsonArrays(result);
    }
    return result;
  }

  private parse(): JavaValue {
    const body = this.source.body;
    // Charged before parsing: a large body moves an inline render to the render pool before the work is done.
    this.state?.charge(body.length * JSON_COST);
    this.state?.alloc(body.length * 2);
    // API Gateway reads an empty body as the empty object: `$input.json('$')` of a GET request is `{}`.
    if (body.length === 0 && this.apiGateway) return new Map();
    if (this.source.document !== undefined && this.apiGateway && !this.documentTaken) {
      this.documentTaken = true;
      return this.source.document();
    }
    try {
      return this.apiGateway ? parseJsonDocument(body) : parseJavaJson(body);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      return null;
    }
  }

  /** `$input.params()`: {path, querystring, header}, each a map of name → value. */
  private params(): Map<string, Map<string, string>> {
    if (!this.paramsMap) {
      const p = this.source.params;
      this.paramsMap = new Map([
        ['path', new Map(Object.entries(p.path))],
        ['querystring', new Map(Object.entries(p.querystring))],
        ['header', new Map(Object.entries(p.header))],
      ]);
    }
    return this.paramsMap;
  }

  /** `$input.params(x)`: path, then query string, then header. */
  private param(name: string | null): string | null {
    if (name === null) return null;
    const p = this.source.params;
    for (const m of [p.path, p.querystring, p.header]) {
      if (Object.hasOwn(m, name)) return m[name]!;
    }
    return null;
  }
}
