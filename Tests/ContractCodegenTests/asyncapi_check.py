"""Checks an AsyncAPI document with an independent parser: asyncapi-python-parser-jonaslagoni,
which validates against AsyncAPI's official 3.0.0 JSON Schema (shipped in its source
distribution under generator/definitions/) before building its 3.0.0 models.

Usage: python asyncapi_check.py PARSER_SOURCE_ROOT < {"yaml": "...", "json": "..."}
Exits 0 and prints a summary when both forms are the same document and it is valid."""
import json
import os
import sys

import yaml

root = sys.argv[1]
given = json.load(sys.stdin)
from_yaml = yaml.safe_load(given["yaml"])
from_json = json.loads(given["json"])
if from_yaml != from_json:
    print("the YAML and JSON forms are different documents", file=sys.stderr)
    sys.exit(3)

# The parser finds its schema relative to the working directory.
os.chdir(root)
from asyncapi_python_parser_jonaslagoni.parser import ParserOptions, parse  # noqa: E402

document = parse(from_json, ParserOptions({}))
if document is None:
    print("the parser did not recognise the document's version", file=sys.stderr)
    sys.exit(4)
print(json.dumps({
    "asyncapi": document.asyncapi,
    "title": document.info.title,
    "channels": sorted(from_json.get("channels", {})),
    "operations": sorted(from_json.get("operations", {})),
}))
