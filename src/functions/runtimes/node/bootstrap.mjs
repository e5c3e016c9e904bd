// Gatehouse's Node.js runtime client: runs inside each execution environment (its own OS process) and speaks the
// Lambda Runtime API at AWS_LAMBDA_RUNTIME_API, as the runtime interface client of Lambda's Node.js runtimes does:
// it loads the handler named by _HANDLER from LAMBDA_TASK_ROOT (CommonJS or ES module), then loops
// `GET /invocation/next` → handler → `POST /{id}/response` or `/{id}/error`. It supports async handlers, callback
// handlers (waiting for the empty event loop unless context.callbackWaitsForEmptyEventLoop is false) and the
// legacy context.succeed/fail/done, and prints console output in Lambda's `time\trequestId\tLEVEL\tmessage` form.
//
// Plain JavaScript on purpose: it starts on every cold start, and skipping type stripping keeps that fast.
import net from 'node:net';
import { existsSync, readFileSync, writeSync } from 'node:fs';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import util from 'node:util';

// `host:port`, or `host:port/prefix` (Gatehouse's per-environment secret): paths are `${prefix}/2018-06-01/...`.
const API = process.env.AWS_LAMBDA_RUNTIME_API;
const API_SLASH = API.indexOf('/');
const AUTHORITY = API_SLASH === -1 ? API : API.slice(0, API_SLASH);
const BASE = `${API_SLASH === -1 ? '' : API.slice(API_SLASH)}/2018-06-01/runtime`;
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const HANDLER = process.env._HANDLER ?? '';
const RUNTIME = (process.env.AWS_EXECUTION_ENV ?? '').replace(/^AWS_Lambda_/, '');
// Lambda's Node.js 24 runtime no longer supports callback-style handlers.
const CALLBACKS_REMOVED = /^nodejs(\d+)/.test(RUNTIME) && Number(/^nodejs(\d+)/.exec(RUNTIME)[1]) >= 24;
// Written to stdout and stderr before each result, so Gatehouse knows it has every line of the invocation's output;
// only to a stream written since the last mark, and the result says how many were written (Gatehouse-Flush-Marks).
const FLUSH_MARK = '\u0000gatehouse:flush\u0000\n';
const written = [false, false, false]; // by fd: stdout (1), stderr (2)

const [host, port] = AUTHORITY.split(':');
const require = nodeModule.createRequire(path.join(TASK_ROOT, 'index.js'));

let currentRequestId = undefined;

// ---- console ----------------------------------------------------------------------------------------------------

/**
 * Writes to stdout (1) or stderr (2) after whatever the function queued on process.stdout/stderr: directly while
 * nothing is queued (the fast path), else through the stream, so lines and flush marks keep their order. A pipe
 * Gatehouse has not read yet makes a direct write fail with EAGAIN: the rest goes through the stream too.
 */
function writeOut(fd, text) {
  const stream = fd === 1 ? process.stdout : process.stderr;
  if (stream.writableLength === 0) {
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(fd, buf, off);
      return;
    } catch (err) {
      if (err.code !== 'EAGAIN') throw err;
      stream.write(buf.subarray(off));
      return;
    }
  }
  stream.write(text);
}

function patchConsole() {
  const write = (level) => (...args) => {
    const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}\n`;
    written[1] = true;
    writeOut(1, line);
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = (...args) => {
    const err = { name: 'Trace', message: util.format(...args) };
    Error.captureStackTrace(err, console.trace);
    write('TRACE')(err.stack);
  };
}

// ---- errors -----------------------------------------------------------------------------------------------------

function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || (error && typeof error === 'object' && typeof error.message === 'string' && typeof error.stack === 'string')) {
      return { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** The JSON Lambda's runtime logs beside "Invoke Error" (the trace under `stack`). */
function toFormatted(error) {
  const r = toRapidResponse(error);
  return '\t' + JSON.stringify({ errorType: r.errorType, errorMessage: r.errorMessage, stack: r.trace ?? [] });
}

class RuntimeError extends Error {
  constructor(name, message, stack) {
    super(message);
    this.name = name;
    if (stack) this.stack = `${name}: ${message}\n${stack.split('\n').slice(1).join('\n')}`;
  }
}

// ---- runtime API client -----------------------------------------------------------------------------------------

// A minimal HTTP/1.1 client on one keep-alive connection: Gatehouse's Runtime API always answers with a
// Content-Length. A result is posted with `Gatehouse-Then-Next`, and Gatehouse answers that POST with the next
// invocation (as it answers `GET /invocation/next`) instead of a 202: one HTTP exchange per invocation, no http
// module machinery. The socket is unreferenced while nothing is awaited, so a callback handler's wait for the empty
// event loop is not held up by it.
let socket = null;
let received = Buffer.alloc(0);
// Chunks of a large response are only joined once it is complete (events may be up to 6 MB).
const arriving = [];
let arrivingBytes = 0;
let bytesNeeded = 0;
const awaiting = []; // { resolve, reject } per request sent, in order

function connection() {
  if (socket) return socket;
  socket = net.connect({ host, port: Number(port), noDelay: true });
  socket.on('data', (chunk) => {
    arriving.push(chunk);
    arrivingBytes += chunk.length;
    if (received.length + arrivingBytes < bytesNeeded) return;
    received = Buffer.concat(received.length ? [received, ...arriving.splice(0)] : arriving.splice(0));
    arrivingBytes = 0;
    parseResponses();
  });
  const fail = (err) => {
    socket = null;
    received = Buffer.alloc(0);
    arriving.length = arrivingBytes = bytesNeeded = 0;
    for (const w of awaiting.splice(0)) w.reject(err ?? new Error('runtime API connection closed'));
  };
  socket.on('error', fail);
  socket.on('close', () => fail());
  return socket;
}

function parseResponses() {
  for (;;) {
    bytesNeeded = 0;
    const headEnd = received.indexOf('\r\n\r\n');
    if (headEnd === -1) return;
    const lines = received.toString('latin1', 0, headEnd).split('\r\n');
    const headers = {};
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      if (colon > 0) headers[lines[i].slice(0, colon).toLowerCase()] = lines[i].slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyStart = headEnd + 4;
    if (received.length < bodyStart + length) {
      bytesNeeded = bodyStart + length;
      return;
    }
    const body = received.subarray(bodyStart, bodyStart + length);
    received = received.subarray(bodyStart + length);
    const w = awaiting.shift();
    if (!awaiting.length) socket?.unref();
    w?.resolve({ status: Number(lines[0].slice(9, 12)), headers, body });
  }
}

// Header values come from user code (an error's name): anything outside printable ASCII is dropped.
const headerSafe = (v) => String(v).replace(/[^\x20-\x7e]/g, '');

function encode(method, urlPath, body, headers) {
  const payload = body === undefined ? undefined : Buffer.from(body);
  let head = `${method} ${BASE}${urlPath} HTTP/1.1\r\nHost: ${AUTHORITY}\r\n`;
  for (const name in headers) head += `${name}: ${headerSafe(headers[name])}\r\n`;
  if (payload) head += `Content-Length: ${payload.length}\r\n`;
  return [head + '\r\n', payload];
}

function request(method, urlPath, body, headers = {}) {
  const sock = connection();
  const [head, payload] = encode(method, urlPath, body, headers);
  sock.ref();
  sock.cork(); // head and body in one write
  sock.write(head, 'latin1');
  if (payload) sock.write(payload);
  sock.uncork();
  return new Promise((resolve, reject) => awaiting.push({ resolve, reject }));
}

/** The answer to the last result, which is the next invocation unless the result was refused (400, 410, 413). */
let nextRequested = null;

/** Posts a result (headers with Gatehouse-Then-Next), asking for the next invocation as its answer (awaited by next()). */
function requestThenNext(urlPath, body, headers) {
  nextRequested = request('POST', urlPath, body, headers);
  nextRequested.catch(() => {}); // next() awaits it and fails with it
  return Promise.resolve();
}

/** Direct writes to process.stdout / process.stderr (pipes: synchronous on Linux) count as output too. */
function watchStreams() {
  for (const [fd, stream] of [[1, process.stdout], [2, process.stderr]]) {
    const write = stream.write;
    stream.write = function (...args) {
      written[fd] = true;
      return write.apply(this, args);
    };
  }
}

/** Marks the end of the output so far on each stream that had some; returns how many marks were written. */
function flushLogs() {
  let marks = 0;
  for (const fd of [1, 2]) {
    if (!written[fd]) continue;
    written[fd] = false;
    writeOut(fd, FLUSH_MARK);
    marks++;
  }
  return String(marks);
}

const RESPONSE_HEADERS = { 'Content-Type': 'application/json', 'Gatehouse-Then-Next': '1', 'Gatehouse-Flush-Marks': '0' };

async function postResult(id, result) {
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch (err) {
    return postError(id, err);
  }
  RESPONSE_HEADERS['Gatehouse-Flush-Marks'] = flushLogs();
  await requestThenNext(`/invocation/${id}/response`, body ?? 'null', RESPONSE_HEADERS);
}

async function postError(id, error) {
  const r = toRapidResponse(error);
  console.error('Invoke Error', toFormatted(error));
  await requestThenNext(`/invocation/${id}/error`, JSON.stringify(r), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': r.errorType,
    'Gatehouse-Then-Next': '1',
    'Gatehouse-Flush-Marks': flushLogs(),
  });
}

async function postInitError(error) {
  const r = toRapidResponse(error);
  console.error('Init Error', toFormatted(error));
  flushLogs();
  await request('POST', '/init/error', JSON.stringify(r), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': r.errorType,
  });
}

// ---- handler loading --------------------------------------------------------------------------------------------

function hasTypeModule(file) {
  let dir = path.dirname(file);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir || !parent.startsWith(TASK_ROOT)) return false;
    dir = parent;
  }
}

function importModuleError(moduleName) {
  return new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${import.meta.filename}`);
}

async function loadModule(moduleRoot, moduleName) {
  const base = path.resolve(TASK_ROOT, moduleRoot, moduleName);
  try {
    if (existsSync(base) && !base.endsWith('/')) return require(base);
    const typeModule = hasTypeModule(base);
    if (existsSync(`${base}.js`)) {
      if (typeModule) return await import(pathToFileURL(`${base}.js`).href);
      try {
        return require(`${base}.js`);
      } catch (err) {
        // A .js ES module without "type": "module" (or with top-level await) still loads as Lambda loads it.
        if (err && (err.code === 'ERR_REQUIRE_ESM' || err.code === 'ERR_REQUIRE_ASYNC_MODULE')) return await import(pathToFileURL(`${base}.js`).href);
        throw err;
      }
    }
    if (existsSync(`${base}.mjs`)) return await import(pathToFileURL(`${base}.mjs`).href);
    if (existsSync(`${base}.cjs`)) return require(`${base}.cjs`);
    try {
      return require(require.resolve(moduleName, { paths: [TASK_ROOT, path.resolve(TASK_ROOT, moduleRoot)] }));
    } catch (err) {
      if (err && err.code === 'MODULE_NOT_FOUND') throw importModuleError(moduleName);
      throw err;
    }
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`, err.stack);
    if (err && err.code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${err.message}`, err.stack);
    }
    throw err;
  }
}

/**
 * Outside the sandbox (--unsafe-functions) the code lives in the data directory, whose parents may hold a
 * package.json with "type": "module" (Gatehouse's own checkout does): a `.js` file of the function is CommonJS
 * unless a package.json inside the function's own directory says otherwise, as on Lambda. In the sandbox the code
 * is at /var/task with no parent package.json, and nothing needs doing.
 */
function keepFunctionModuleTypes() {
  if (TASK_ROOT === '/var/task' || typeof nodeModule.registerHooks !== 'function') return;
  const root = pathToFileURL(TASK_ROOT + path.sep).href;
  nodeModule.registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith(root) && url.endsWith('.js') && !hasTypeModule(fileURLToPath(url))) return nextLoad(url, { ...context, format: 'commonjs' });
      return nextLoad(url, context);
    },
  });
}

async function loadHandler() {
  keepFunctionModuleTypes();
  if (HANDLER.includes('..')) {
    throw new RuntimeError('Runtime.MalformedHandlerName', "'../' is not a valid handler name. Use absolute paths when specifying root directories in handler names.");
  }
  const handlerString = path.basename(HANDLER);
  const moduleRoot = HANDLER.substring(0, HANDLER.indexOf(handlerString));
  const m = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!m) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = m;
  const mod = await loadModule(moduleRoot, moduleName);
  let fn = mod;
  for (const part of handlerPath.split('.')) {
    fn = fn == null ? undefined : fn[part];
  }
  if (fn === undefined) throw new RuntimeError('Runtime.HandlerNotFound', `${HANDLER} is undefined or not exported`);
  if (typeof fn !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${HANDLER} is not a function`);
  if (CALLBACKS_REMOVED && fn.length >= 3) {
    throw new RuntimeError(
      'Runtime.CallbackHandlerDeprecated',
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later.',
    );
  }
  return fn;
}

// ---- invocations ------------------------------------------------------------------------------------------------

let beforeExitAction = null;
process.on('beforeExit', () => {
  const action = beforeExitAction;
  beforeExitAction = null;
  if (action) action();
});

let currentInvocation = null;

function invoke(handler, inv) {
  return new Promise((resolveInvocation) => {
    let finished = false;
    const finish = (err, result) => {
      if (finished) return;
      finished = true;
      beforeExitAction = null;
      currentInvocation = null;
      const posted = err !== undefined && err !== null ? postError(inv.id, err) : postResult(inv.id, result);
      posted.then(resolveInvocation, (e) => {
        writeSync(2, `runtime API unreachable: ${e && e.message}\n`);
        process.exit(1);
      });
    };
    currentInvocation = { id: inv.id, fail: (err) => finish(err) };
    let waitsForEmptyEventLoop = true;
    const callback = (err, result) => {
      if (finished) return;
      if (waitsForEmptyEventLoop) beforeExitAction = () => finish(err, result);
      else finish(err, result);
    };
    const done = (err, result) => finish(err, result);
    const context = {
      get callbackWaitsForEmptyEventLoop() {
        return waitsForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(v) {
        waitsForEmptyEventLoop = Boolean(v);
      },
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      clientContext: inv.clientContext,
      identity: inv.identity,
      invokedFunctionArn: inv.invokedFunctionArn,
      awsRequestId: inv.id,
      getRemainingTimeInMillis: () => inv.deadline - Date.now(),
      succeed: (result) => done(null, result),
      fail: (err) => done(err ?? 'handled'),
      done,
    };
    // A handler that neither returns a promise nor calls back ends with null once the event loop is empty.
    beforeExitAction = () => finish(null, null);
    let returned;
    try {
      returned = CALLBACKS_REMOVED ? handler(inv.event, context) : handler(inv.event, context, callback);
    } catch (err) {
      finish(err);
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then((r) => finish(null, r), (e) => finish(e ?? new Error('Rejected with no reason')));
    }
  });
}

function parseHeaderJson(value) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

async function next() {
  const answer = nextRequested;
  nextRequested = null;
  let res = answer ? await answer : undefined;
  if (!res || res.status !== 200) res = await request('GET', '/invocation/next');
  const h = res.headers;
  if (h['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = h['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;
  let event;
  try {
    event = JSON.parse(res.body.toString('utf8') || 'null');
  } catch {
    event = res.body.toString('utf8');
  }
  const clientContext = h['lambda-runtime-client-context'];
  return {
    id: h['lambda-runtime-aws-request-id'],
    deadline: Number(h['lambda-runtime-deadline-ms']),
    invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
    clientContext: clientContext ? parseHeaderJson(clientContext) : undefined,
    identity: parseHeaderJson(h['lambda-runtime-cognito-identity']),
    event,
  };
}

function onFatal(kind, errorType) {
  return (reason) => {
    const err = errorType
      ? new RuntimeError(errorType, reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason), reason && reason.stack)
      : reason;
    console.error(kind, toFormatted(err));
    if (currentInvocation) {
      const id = currentInvocation.id;
      currentInvocation = null;
      const r = toRapidResponse(err);
      request('POST', `/invocation/${id}/error`, JSON.stringify(r), { 'Lambda-Runtime-Function-Error-Type': r.errorType, 'Gatehouse-Flush-Marks': flushLogs() }).finally(() => process.exit(129));
    } else {
      process.exit(129);
    }
  };
}

async function main() {
  patchConsole();
  watchStreams();
  process.on('uncaughtException', onFatal('Uncaught Exception'));
  process.on('unhandledRejection', onFatal('Unhandled Promise Rejection', 'Runtime.UnhandledPromiseRejection'));
  let handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    await postInitError(err).catch(() => {});
    process.exit(129);
  }
  for (;;) {
    const inv = await next();
    currentRequestId = inv.id;
    await invoke(handler, inv);
  }
}

main();
