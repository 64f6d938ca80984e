# Evaluates jetbase/env.py the way Jetbase imports it, for jetbase-action (src/config/env-py-evaluate.ts).
#
# Run as `python -c <this file's text> <request>`, cwd = the jetbase directory. The request is JSON:
#   envPy            absolute path of env.py
#   keys             the configuration keys to read
#   marker           the text that starts the answer line on stdout
#   secretNameWords  an environment variable whose lower-cased name contains one of these is secret
#   minMaskedLength  secret values shorter than this are not masked
# env.py runs as module `config` with the project root (the jetbase directory's parent) first on
# sys.path; its attributes are read, then the dict of get_env_vars() if it defines one (which
# wins). When `dotenv` cannot be imported (or JETBASE_PY_NO_DOTENV=1, for tests) a small stand-in
# with python-dotenv's load_dotenv/dotenv_values/find_dotenv is installed first.
# env.py's own prints go to stderr; the answer is the last line of stdout that starts with marker:
#   {"values": {key: value}, "usedDotenvStandIn": bool}
#   {"error": {"type", "message", "line", "stage", "missingVariable"}}
# Error messages have the values of secret-named variables masked, with what env.py loaded too.
import importlib.util
import json
import math
import os
import re
import sys
import traceback
import types

request = json.loads(sys.argv[1])
env_py = os.path.abspath(request['envPy'])
keys = request['keys']
marker = request['marker']
secret_name_words = request['secretNameWords']
min_masked_length = request['minMaskedLength']

jetbase_dir = os.path.dirname(env_py)
project_root = os.path.dirname(jetbase_dir)
sys.path.insert(0, project_root)
stand_in_calls = []


def make_dotenv_stand_in():
    module = types.ModuleType('dotenv')
    line_pattern = re.compile(r'^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$')
    quoted_pattern = re.compile(r'^([\'"])((?:\\.|(?!\1).)*)\1\s*(?:#.*)?$')
    reference = re.compile(r'\$\{([^}:]+)(?::-([^}]*))?\}')

    def find_dotenv(filename='.env', raise_error_if_not_found=False, usecwd=False):
        stand_in_calls.append('find_dotenv')
        # Like python-dotenv: from the calling file's directory (env.py's) up to the root.
        directory = os.getcwd() if usecwd else jetbase_dir
        while True:
            candidate = os.path.join(directory, filename)
            if os.path.isfile(candidate):
                return candidate
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        if raise_error_if_not_found:
            raise IOError('File not found')
        return ''

    def parse(dotenv_path, interpolate=True, encoding='utf-8'):
        values = {}
        if not dotenv_path or not os.path.isfile(dotenv_path):
            return values
        with open(dotenv_path, encoding=encoding or 'utf-8') as handle:
            lines = handle.read().splitlines()
        for line in lines:
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            match = line_pattern.match(line)
            if not match:
                continue
            key, value = match.group(1), match.group(2).strip()
            quoted = quoted_pattern.match(value)
            if quoted:
                quote, value = quoted.group(1), quoted.group(2)
                if quote == '"':
                    escapes = {'n': '\n', 't': '\t', 'r': '\r'}
                    value = re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), m.group(1)), value)
                elif quote == "'":
                    value = value.replace("\\'", "'")
            else:
                comment = re.search(r'\s#', value)
                if comment:
                    value = value[:comment.start()].rstrip()
            if interpolate and not (quoted and quoted.group(1) == "'"):
                value = reference.sub(
                    lambda m: values.get(m.group(1), os.environ.get(m.group(1), m.group(2) or '')), value
                )
            values[key] = value
        return values

    def dotenv_values(dotenv_path=None, stream=None, verbose=False, interpolate=True, encoding='utf-8'):
        stand_in_calls.append('dotenv_values')
        return parse(dotenv_path or find_dotenv(), interpolate, encoding)

    def load_dotenv(
        dotenv_path=None, stream=None, verbose=False, override=False, interpolate=True, encoding='utf-8'
    ):
        stand_in_calls.append('load_dotenv')
        values = parse(dotenv_path or find_dotenv(), interpolate, encoding)
        for key, value in values.items():
            if override or key not in os.environ:
                os.environ[key] = value
        return bool(values)

    module.find_dotenv = find_dotenv
    module.dotenv_values = dotenv_values
    module.load_dotenv = load_dotenv
    return module


use_stand_in = os.environ.get('JETBASE_PY_NO_DOTENV') == '1' or importlib.util.find_spec('dotenv') is None
if use_stand_in:
    sys.modules['dotenv'] = make_dotenv_stand_in()


def to_json(key, value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return list(value)
    if key == 'sqlalchemy_url':
        # A sqlalchemy.URL object: str() would mask its password.
        render = getattr(value, 'render_as_string', None)
        return render(hide_password=False) if callable(render) else str(value)
    return {'unsupportedType': type(value).__name__}


def is_secret_name(name):
    lower = name.lower()
    return any(word in lower for word in secret_name_words)


def scrub(text):
    secrets = [value for name, value in os.environ.items() if len(value) >= min_masked_length and is_secret_name(name)]
    for value in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(value, '***')
    return text


def missing_variable(error):
    """The name, when `error` is the KeyError of reading an unset variable from os.environ."""
    if not isinstance(error, KeyError) or len(error.args) != 1 or not isinstance(error.args[0], str):
        return None
    frame_tb = error.__traceback__
    while frame_tb is not None and frame_tb.tb_next is not None:
        frame_tb = frame_tb.tb_next
    if frame_tb is None:
        return None
    frame = frame_tb.tb_frame
    if frame.f_code.co_name != '__getitem__' or frame.f_locals.get('self') is not os.environ:
        return None
    return error.args[0]


real_stdout = sys.stdout
sys.stdout = sys.stderr
stage = 'env.py'
try:
    spec = importlib.util.spec_from_file_location('config', env_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    values = {key: getattr(module, key) for key in keys if getattr(module, key, None) is not None}
    get_env_vars = getattr(module, 'get_env_vars', None)
    if callable(get_env_vars):
        stage = 'get_env_vars()'
        returned = get_env_vars()
        if not isinstance(returned, dict):
            raise TypeError('get_env_vars() must return a dict, got ' + type(returned).__name__)
        for key in keys:
            if returned.get(key) is not None:
                values[key] = returned[key]
    answer = {
        'values': {key: to_json(key, value) for key, value in values.items()},
        'usedDotenvStandIn': use_stand_in and len(stand_in_calls) > 0,
    }
except BaseException as error:
    line = None
    if isinstance(error, SyntaxError) and error.filename and os.path.abspath(error.filename) == env_py:
        line = error.lineno
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.abspath(frame.filename) == env_py:
            line = frame.lineno
    message = error.msg if isinstance(error, SyntaxError) else str(error)
    answer = {
        'error': {
            'type': type(error).__name__,
            'message': scrub(message),
            'line': line,
            'stage': stage,
            'missingVariable': missing_variable(error),
        }
    }
sys.stdout = real_stdout
sys.stdout.write('\n' + marker + json.dumps(answer) + '\n')
sys.stdout.flush()
