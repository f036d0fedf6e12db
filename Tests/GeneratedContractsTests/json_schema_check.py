"""Validates payloads against JSON Schemas with Python's `jsonschema` (2020-12, formats
asserted: uuid, date and, through rfc3339-validator, date-time).

Usage: python json_schema_check.py < {"schemas": {NAME: SCHEMA}, "payloads": [[NAME, PAYLOAD], ...]}
Prints a JSON array: null for a payload that is valid, else the first error's message.
Exits 2 when a schema is not a valid 2020-12 schema."""
import json
import sys

import rfc3339_validator  # noqa: F401  (without it jsonschema skips date-time silently)
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

given = json.load(sys.stdin)
validators = {}
for name, schema in given["schemas"].items():
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        print(f"{name} is not a valid 2020-12 schema: {error.message}", file=sys.stderr)
        sys.exit(2)
    validators[name] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

assert "date-time" in Draft202012Validator.FORMAT_CHECKER.checkers, "date-time is not checked"
results = []
for name, payload in given["payloads"]:
    error = next(iter(validators[name].iter_errors(payload)), None)
    results.append(None if error is None else f"{error.json_path}: {error.message}")
print(json.dumps(results))
