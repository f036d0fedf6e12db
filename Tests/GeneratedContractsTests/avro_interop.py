"""Independent Avro implementations for AvroInteropTests: Apache Avro (Python `avro`), fastavro,
and Avro C (`avrocat` from Debian's avro-bin) on a sample.

Reads a JSON request on standard input and writes a JSON answer on standard output.

  {"mode": "generate", "seed": S, "count": N, "contracts": [{"name": …, "schemas": [v1, v2, …]}]}
    For every contract and writer version, N random values, written with Apache Avro and with
    fastavro (the two must write the same bytes), then read with every version's schema as the
    reader by both (Avro's schema resolution). Values are given in the contract's canonical JSON
    (see `canonical`).
  {"mode": "read", "cases": [{"schema": …, "bytes": hex}], "avrocat": [indices]}
    Reads each case's bytes with its schema by both, in the canonical JSON; the cases listed in
    "avrocat" also through Avro C's avrocat, from an object container file holding those bytes.
"""

import base64
import datetime
import decimal
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import uuid
import warnings

import avro.io
import avro.schema
import fastavro

# Both libraries warn that they do not know timestamp-nanos; they read it as a long, as the
# specification says to, which is what this script expects.
warnings.filterwarnings("ignore")

EPOCH = datetime.date(1970, 1, 1)

# Python's decimal arithmetic keeps 28 digits by default, and Apache Avro's writer scales decimals
# with it: decimal(38, 18) values of more digits would be rounded before they are written.
decimal.getcontext().prec = 80


def logical(schema):
    return schema.get("logicalType") if isinstance(schema, dict) else None


def kind(schema):
    if isinstance(schema, list):
        return "union"
    if isinstance(schema, dict):
        return schema["type"] if isinstance(schema["type"], str) else kind(schema["type"])
    return schema


class Names:
    """Named types by name, as a schema defines them and later refers to them."""

    def __init__(self, schema):
        self.types = {}
        self.register(schema)

    def register(self, schema):
        if isinstance(schema, list):
            for branch in schema:
                self.register(branch)
        elif isinstance(schema, dict):
            if schema.get("type") in ("record", "enum", "fixed"):
                self.types[schema["name"]] = schema
                if "namespace" in schema:
                    self.types[schema["namespace"] + "." + schema["name"]] = schema
            for field in schema.get("fields", []):
                self.register(field["type"])
            for key in ("items", "values"):
                if key in schema:
                    self.register(schema[key])
            if isinstance(schema.get("type"), (dict, list)):
                self.register(schema["type"])

    def resolve(self, schema):
        if isinstance(schema, str) and schema in self.types:
            return self.types[schema]
        return schema


def random_value(schema, rng, names, depth=0):
    schema = names.resolve(schema)
    k = kind(schema)
    lt = logical(schema)
    if k == "null":
        return None
    if k == "boolean":
        return rng.random() < 0.5
    if k == "int":
        if lt == "date":
            return EPOCH + datetime.timedelta(days=rng.randint(-719162, 2932896))
        return rng.choice([0, 1, -1, rng.randint(-2**31, 2**31 - 1), rng.randint(-100, 100)])
    if k == "long":
        if lt == "timestamp-nanos":
            return rng.choice([0, rng.randint(-2**63, 2**63 - 1), rng.randint(0, 2**62) // 10**6 * 10**6, 1_700_000_000 * 10**9])
        return rng.choice([0, -1, rng.randint(-2**63, 2**63 - 1), rng.randint(-1000, 1000)])
    if k == "float":
        return struct.unpack("<f", struct.pack("<f", rng.uniform(-1e6, 1e6)))[0]
    if k == "double":
        return rng.choice([0.0, -2.5, rng.uniform(-1e300, 1e300), rng.random()])
    if k == "bytes":
        if lt == "decimal":
            digits = rng.randint(0, 38)
            unscaled = rng.randint(-(10**digits - 1), 10**digits - 1) if digits else 0
            return decimal.Decimal(unscaled).scaleb(-schema["scale"])
        return bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 8)))
    if k == "string":
        if lt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128)))
        alphabet = "abcXYZ019 -_\"\\/é한😀\n"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
    if k == "enum":
        return rng.choice(schema["symbols"])
    if k == "array":
        return [random_value(schema["items"], rng, names, depth + 1) for _ in range(rng.randint(0, 3 if depth < 3 else 0))]
    if k == "map":
        size = rng.randint(0, 3 if depth < 3 else 0)
        keys = sorted({"".join(rng.choice("abcé") for _ in range(rng.randint(0, 4))) for _ in range(size)})
        return {key: random_value(schema["values"], rng, names, depth + 1) for key in keys}
    if k == "union":
        branch = rng.choice([names.resolve(b) for b in schema])
        return random_value(branch, rng, names, depth)
    if k == "record":
        return {f["name"]: random_value(f["type"], rng, names, depth + 1) for f in schema["fields"]}
    raise ValueError("no random value for %r" % (schema,))


def rfc3339(nanos):
    seconds, fraction = divmod(nanos, 10**9)
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    if fraction:
        digits = 9
        while digits > 3 and fraction % 1000 == 0:
            fraction //= 1000
            digits -= 3
        text += "." + str(fraction).rjust(digits, "0")
    return text + "Z"


def decimal_text(value):
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def canonical(value, schema, names):
    """A value as the contract's canonical JSON: what generated encoders write (floats as numbers,
    compared by value on the Swift side)."""
    schema = names.resolve(schema)
    k = kind(schema)
    lt = logical(schema)
    if value is None:
        return None
    if k == "union":
        branches = [names.resolve(b) for b in schema]
        present = [b for b in branches if kind(b) != "null"]
        return canonical(value, present[0], names) if present else None
    if k == "int" and lt == "date":
        if isinstance(value, int):
            value = EPOCH + datetime.timedelta(days=value)
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    if k == "long" and lt == "timestamp-nanos":
        return rfc3339(value)
    if k == "bytes" and lt == "decimal":
        return decimal_text(value)
    if k == "bytes":
        return base64.b64encode(value).decode()
    if k == "string" and lt == "uuid":
        return str(value).lower()
    if k in ("float", "double"):
        return float(value)
    if k == "array":
        return [canonical(v, schema["items"], names) for v in value]
    if k == "map":
        return {key: canonical(v, schema["values"], names) for key, v in sorted(value.items())}
    if k == "record":
        return {f["name"]: canonical(value[f["name"]], f["type"], names) for f in schema["fields"]}
    return value


def bare(schema):
    """The schema with logical types Python's libraries would convert removed from fields they
    must hand over as plain values (timestamp-nanos is read as a long by both anyway)."""
    return schema


def write_avro(schema_text, value):
    parsed = avro.schema.parse(schema_text)
    out = io.BytesIO()
    avro.io.DatumWriter(parsed).write(value, avro.io.BinaryEncoder(out))
    return out.getvalue()


def write_fastavro(schema, value):
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema, _write_hint=False), value)
    return out.getvalue()


def read_avro(data, writer_text, reader_text):
    reader = avro.io.DatumReader(avro.schema.parse(writer_text), avro.schema.parse(reader_text))
    decoder = avro.io.BinaryDecoder(io.BytesIO(data))
    value = reader.read(decoder)
    return value


def read_fastavro(data, writer, reader):
    stream = io.BytesIO(data)
    value = fastavro.schemaless_reader(stream, fastavro.parse_schema(writer, _write_hint=False), fastavro.parse_schema(reader, _write_hint=False) if reader is not None else None)
    if stream.read():
        raise ValueError("bytes left after the value")
    return value


def attempt(read, schema):
    try:
        return {"value": canonical(read(), schema, Names(schema))}
    except Exception as error:  # an incompatible pair, or data the reader refuses
        return {"error": "%s: %s" % (type(error).__name__, error)}


def generate(request):
    rng = random.Random(request["seed"])
    cases = []
    for contract in request["contracts"]:
        schemas = contract["schemas"]
        texts = [json.dumps(s) for s in schemas]
        for w, writer in enumerate(schemas):
            for _ in range(request["count"]):
                value = random_value(writer, rng, Names(writer))
                by_avro = write_avro(texts[w], value)
                by_fastavro = write_fastavro(writer, value)
                readers = []
                for r, reader in enumerate(schemas):
                    readers.append({
                        "reader": r + 1,
                        "avro": attempt(lambda: read_avro(by_avro, texts[w], texts[r]), reader),
                        "fastavro": attempt(lambda: read_fastavro(by_avro, writer, reader), reader),
                    })
                cases.append({
                    "contract": contract["name"], "writer": w + 1, "bytes": by_avro.hex(),
                    "fastavroBytes": by_fastavro.hex(), "value": canonical(value, writer, Names(writer)), "readers": readers,
                })
    return {"cases": cases}


def container(schema_text, datums):
    """An Avro object container file with `datums` (encoded values) in one block, no codec."""
    def long(n):
        n = (n << 1) ^ (n >> 63)
        out = bytearray()
        while n >= 0x80:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
        return bytes(out)

    def string(b):
        return long(len(b)) + b

    sync = bytes(range(16))
    header = b"Obj\x01" + long(2) + string(b"avro.schema") + string(schema_text.encode()) + string(b"avro.codec") + string(b"null") + long(0) + sync
    body = b"".join(datums)
    return header + long(len(datums)) + long(len(body)) + body + sync


def avro_json_canonical(value, schema, names):
    """Avro's JSON encoding (what avrocat prints) as the canonical JSON."""
    schema = names.resolve(schema)
    k = kind(schema)
    lt = logical(schema)
    if k == "union":
        if value is None:
            return None
        (branch_name, inner), = value.items()
        for branch in schema:
            branch = names.resolve(branch)
            name = branch["name"] if isinstance(branch, dict) and "name" in branch else kind(branch)
            if name == branch_name or (isinstance(branch, dict) and branch.get("namespace", "") + "." + branch.get("name", "") == branch_name):
                return avro_json_canonical(inner, branch, names)
        raise ValueError("no branch %s" % branch_name)
    if k == "bytes":
        raw = bytes(ord(c) for c in value)
        if lt == "decimal":
            return decimal_text(decimal.Decimal(int.from_bytes(raw, "big", signed=True)).scaleb(-schema["scale"]))
        return base64.b64encode(raw).decode()
    if k == "int" and lt == "date":
        return canonical(value, schema, names)
    if k == "long" and lt == "timestamp-nanos":
        return rfc3339(value)
    if k == "string" and lt == "uuid":
        return value.lower()
    if k in ("float", "double"):
        return float(value)
    if k == "array":
        return [avro_json_canonical(v, schema["items"], names) for v in value]
    if k == "map":
        return {key: avro_json_canonical(v, schema["values"], names) for key, v in sorted(value.items())}
    if k == "record":
        return {f["name"]: avro_json_canonical(value[f["name"]], f["type"], names) for f in schema["fields"]}
    return value


def read(request):
    answers = []
    for case in request["cases"]:
        schema = case["schema"]
        data = bytes.fromhex(case["bytes"])
        text = json.dumps(schema)
        answers.append({
            "avro": attempt(lambda: read_avro(data, text, text), schema),
            "fastavro": attempt(lambda: read_fastavro(data, schema, None), schema),
        })
    avrocat = shutil.which("avrocat")
    sample = request.get("avrocat", [])
    if avrocat and sample:
        folder = tempfile.mkdtemp()
        for index in sample:
            case = request["cases"][index]
            path = os.path.join(folder, "%d.avro" % index)
            with open(path, "wb") as f:
                f.write(container(json.dumps(case["schema"]), [bytes.fromhex(case["bytes"])]))
            printed = subprocess.run([avrocat, path], capture_output=True, text=True)
            if printed.returncode != 0:
                answers[index]["avrocat"] = {"error": printed.stderr.strip()}
                continue
            value = json.loads(printed.stdout.splitlines()[0])
            answers[index]["avrocat"] = {"value": avro_json_canonical(value, case["schema"], Names(case["schema"]))}
        shutil.rmtree(folder)
    return {"answers": answers, "avrocat": avrocat is not None}


def main():
    request = json.load(sys.stdin)
    answer = generate(request) if request["mode"] == "generate" else read(request)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
