# Gatehouse's Python runtime client: runs inside each python3.x execution environment and speaks the Lambda
# Runtime API at AWS_LAMBDA_RUNTIME_API, as Lambda's Python runtime interface client does: it imports the handler
# named by _HANDLER (`module.function`, `dir/module.function`) from LAMBDA_TASK_ROOT, then loops
# `GET /invocation/next` -> handler(event, context) -> `POST /invocation/{id}/response` or `/error`.
#
# Errors are answered in Lambda's shape, {errorMessage, errorType, requestId, stackTrace}, and logged as Lambda's
# Python runtime logs them (`[ERROR] Type: message` and the traceback). The `logging` module writes
# `[LEVEL]\ttime\trequestId\tmessage` lines, as on Lambda.
#
# Gatehouse extensions (see src/functions/README.md): results are posted with `Gatehouse-Then-Next: 1`, answered
# with the next invocation (one HTTP exchange per invocation), and with `Gatehouse-Flush-Marks: 2` after an
# end-of-output mark on stdout and stderr, so Gatehouse knows it has read every line of the invocation.
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
AUTHORITY, _, PREFIX = API.partition("/")
BASE = ("/" + PREFIX if PREFIX else "") + "/2018-06-01/runtime"
HOST, _, PORT = AUTHORITY.partition(":")
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
HANDLER = os.environ.get("_HANDLER", "")
FLUSH_MARK = "\0gatehouse:flush\0\n"

current_request_id = None


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = client_context
        self.identity = identity
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def __repr__(self):
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},client_context={self.client_context},"
            f"identity={self.identity}])"
        )


class CognitoIdentity:
    def __init__(self, data):
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class Client:
    def __init__(self, data):
        self.installation_id = data.get("installation_id")
        self.app_title = data.get("app_title")
        self.app_version_name = data.get("app_version_name")
        self.app_version_code = data.get("app_version_code")
        self.app_package_name = data.get("app_package_name")


class ClientContext:
    def __init__(self, data):
        self.client = Client(data["client"]) if isinstance(data.get("client"), dict) else None
        self.custom = data.get("custom")
        self.env = data.get("env")


class FaultException(Exception):
    """An init failure, reported with Lambda's error type and message."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


class LambdaLogHandler(logging.Handler):
    def emit(self, record):
        try:
            msg = self.format(record)
            sys.stdout.write(msg.replace("\n", "\r") + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


class LambdaLogFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request_id
        return True


def setup_logging():
    handler = LambdaLogHandler()
    handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    handler.addFilter(LambdaLogFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


# ---- the Runtime API --------------------------------------------------------------------------------------------

conn = http.client.HTTPConnection(HOST, int(PORT))


def request(method, path, body=None, headers=None):
    conn.request(method, BASE + path, body=body, headers=headers or {})
    res = conn.getresponse()
    return res.status, res.getheaders(), res.read()


def flush_marks():
    """Ends the invocation's output on both streams (after what Python still buffers)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.write(FLUSH_MARK)
            stream.flush()
        except Exception:
            pass
    return "2"


def post(path, body, extra=None):
    headers = {"Content-Type": "application/json", "Gatehouse-Then-Next": "1", "Gatehouse-Flush-Marks": flush_marks()}
    if extra:
        headers.update(extra)
    return request("POST", path, body, headers)


def error_payload(error_type, message, request_id, trace):
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id or "", "stackTrace": trace}


def log_error(error_type, message, trace):
    """Lambda's error log entry: one line, its inner line breaks written as carriage returns (one log event)."""
    lines = [f"[ERROR] {error_type}: {message}"]
    if trace:
        lines.append("Traceback (most recent call last):")
        lines.extend(t.rstrip("\n") for t in trace)
    sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")
    sys.stdout.flush()


def user_trace(tb):
    """The traceback's frames from the user's code on (the runtime's own frames left out, as Lambda does)."""
    frames = traceback.extract_tb(tb)
    while frames and (frames[0].filename == __file__ or frames[0].filename.startswith("<frozen") or "/importlib/" in frames[0].filename):
        frames.pop(0)
    return traceback.format_list(frames)


# ---- the handler ------------------------------------------------------------------------------------------------


def load_handler():
    try:
        path, fn_name = HANDLER.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{HANDLER}': {e}")
    module_name = path.replace("/", ".")
    if module_name.startswith("."):
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{HANDLER}': relative paths are not allowed")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {e}")
    except SyntaxError as e:
        trace = [f'  File "{e.filename}" Line {e.lineno}\n', f"        {(e.text or '').strip()}\n"]
        raise FaultException("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {e}", trace)
    except Exception as e:
        # An exception raised while the module loads is reported as itself, as Lambda's runtime reports it.
        raise FaultException(type(e).__name__, str(e), user_trace(e.__traceback__))
    handler = getattr(module, fn_name, None)
    if handler is None:
        raise FaultException("Runtime.HandlerNotFound", f"Handler '{fn_name}' missing on module '{module_name}'")
    return handler


def parse_json_header(value):
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def as_object(cls, data):
    """The context's client_context and identity are objects with attributes, as in Lambda's Python runtime."""
    return cls(data) if isinstance(data, dict) else None


def to_invocation(headers, body):
    h = {k.lower(): v for k, v in headers}
    trace_id = h.get("lambda-runtime-trace-id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    request_id = h.get("lambda-runtime-aws-request-id")
    context = LambdaContext(
        request_id,
        int(h.get("lambda-runtime-deadline-ms", "0")),
        h.get("lambda-runtime-invoked-function-arn"),
        as_object(ClientContext, parse_json_header(h.get("lambda-runtime-client-context"))),
        as_object(CognitoIdentity, parse_json_header(h.get("lambda-runtime-cognito-identity"))),
    )
    return request_id, body, context


def run(handler, request_id, body, context):
    """Runs one invocation; returns the runtime API's answer (the next invocation, when Gatehouse sends it)."""
    global current_request_id
    current_request_id = request_id
    try:
        event = json.loads(body) if body else None
        result = handler(event, context)
    except Exception as e:
        trace = user_trace(e.__traceback__)
        error_type = type(e).__name__
        message = str(e)
        log_error(error_type, message, trace)
        payload = error_payload(error_type, message, request_id, trace)
        return post(f"/invocation/{request_id}/error", json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": error_type})
    try:
        data = json.dumps(result)
    except (TypeError, ValueError) as e:
        message = f"Unable to marshal response: {e}"
        log_error("Runtime.MarshalError", message, [])
        payload = error_payload("Runtime.MarshalError", message, request_id, [])
        return post(f"/invocation/{request_id}/error", json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
    return post(f"/invocation/{request_id}/response", data)


def main():
    if TASK_ROOT not in sys.path:
        sys.path.insert(0, TASK_ROOT)
    setup_logging()
    try:
        handler = load_handler()
    except FaultException as e:
        log_error(e.error_type, e.message, e.trace)
        flush_marks()
        request("POST", "/init/error", json.dumps(error_payload(e.error_type, e.message, None, e.trace)), {"Lambda-Runtime-Function-Error-Type": e.error_type})
        sys.exit(1)
    answer = None
    while True:
        if answer is None or answer[0] != 200:
            answer = request("GET", "/invocation/next")
        status, headers, body = answer
        request_id, body, context = to_invocation(headers, body)
        answer = run(handler, request_id, body, context)


if __name__ == "__main__":
    main()
