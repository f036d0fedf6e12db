"""Apache Avro's verdicts for the differential test: reads a JSON array of
{"reader": schema, "writer": schema} from stdin, prints a JSON array of booleans
(True: the reader can read what the writer wrote)."""
import json
import sys

import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

pairs = json.load(sys.stdin)
verdicts = []
for pair in pairs:
    reader = avro.schema.parse(json.dumps(pair["reader"]))
    writer = avro.schema.parse(json.dumps(pair["writer"]))
    result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    verdicts.append(result.compatibility is SchemaCompatibilityType.compatible)
json.dump(verdicts, sys.stdout)
