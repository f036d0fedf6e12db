#!/usr/bin/env python3
"""A synthetic estate of event contracts, and the same events as Protocol Buffers messages.

    estate.py contracts OUTDIR [N] [V] [F0]   N contracts (default 200), each with V versions
                                              (default 5); version 1 has F0 fields (default 14),
                                              every later version adds 2 defaulted/optional ones
    estate.py proto OUTDIR [N] [V] [F0]       the latest version of each, one .proto per message

Fields mix every kind of the contract language: scalars, uuid, timestamp, decimal, date, an enum,
a nested record, arrays, maps, optionals, bytes. The proto messages carry the same fields with the
types a protobuf team would pick (a uuid and a decimal as strings, a timestamp as
google.protobuf.Timestamp, a date as days in an int32), so both generators are given the same
shape of data. Nothing is random: the same arguments write the same files.
"""
import os
import sys

BASE = ["string", "long", "uuid", "timestamp", "decimal", "int", "bool", "double", "date",
        "Status", "Amount", "array<string>", "map<long>", "string?", "array<Amount>", "bytes"]
ADDED = [("string?", None), ("int", "0"), ("Status", "active"), ("long", "0"), ("bool", "false"),
         ("double?", None), ("array<string>", "[]"), ("timestamp?", None)]


def events(n, versions, first_fields):
    """Yields (index, namespace, name, [fields of each version]) with fields as (name, type, default)."""
    for i in range(n):
        fields = [(f"f{k}", BASE[k % len(BASE)] if k else "string", None) for k in range(first_fields)]
        history = [list(fields)]
        for v in range(2, versions + 1):
            for j in range(2):
                kind, default = ADDED[(2 * (v - 2) + j) % len(ADDED)]
                fields.append((f"g{v}x{j}", kind, default))
            history.append(list(fields))
        yield i, f"area{i % 10}", f"Thing{i:03d}Happened", history


def write_contracts(out, n, versions, first_fields):
    for i, ns, name, history in events(n, versions, first_fields):
        lines = [f"event: {name}", f"namespace: {ns}", "owner: team-a",
                 f"summary: Synthetic event {i} for measuring generated code.",
                 f"topic: {ns}.thing-{i:03d}", "key: f0", "compatibility: BACKWARD_TRANSITIVE",
                 "types:",
                 "  Status: { kind: enum, symbols: [active, paused, closed], default: active }",
                 "  Amount: { kind: record, fields: { value: decimal, currency: { type: string, default: EUR } } }",
                 "versions:"]
        for v, fields in enumerate(history, start=1):
            lines += [f"  - version: {v}", "    fields:"]
            for field, kind, default in fields:
                lines.append(f"      {field}: {kind}" if default is None
                             else f"      {field}: {{ type: {kind}, default: {default} }}")
        folder = os.path.join(out, ns)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{name}.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")


PROTO_SCALARS = {"string": "string", "long": "int64", "uuid": "string", "decimal": "string",
                 "int": "int32", "bool": "bool", "double": "double", "date": "int32",
                 "bytes": "bytes", "timestamp": "google.protobuf.Timestamp",
                 "Status": "Status", "Amount": "Amount"}


def proto_field(kind):
    if kind.endswith("?"):
        inner = PROTO_SCALARS[kind[:-1]]
        # Message fields have presence already; `optional` is for scalars.
        return inner if inner.startswith("google.") else f"optional {inner}"
    if kind.startswith("array<"):
        return f"repeated {PROTO_SCALARS[kind[6:-1]]}"
    if kind.startswith("map<"):
        return f"map<string, {PROTO_SCALARS[kind[4:-1]]}>"
    return PROTO_SCALARS[kind]


def write_proto(out, n, versions, first_fields):
    os.makedirs(out, exist_ok=True)
    for i, ns, name, history in events(n, versions, first_fields):
        lines = ['syntax = "proto3";', f"package {ns};", 'import "google/protobuf/timestamp.proto";', "",
                 f"// Synthetic event {i} for measuring generated code.",
                 f"message {name} {{",
                 "  enum Status { ACTIVE = 0; PAUSED = 1; CLOSED = 2; }",
                 "  message Amount { string value = 1; string currency = 2; }"]
        for number, (field, kind, _) in enumerate(history[-1], start=1):
            lines.append(f"  {proto_field(kind)} {field} = {number};")
        lines.append("}")
        with open(os.path.join(out, f"{name}.proto"), "w") as f:
            f.write("\n".join(lines) + "\n")


def main(argv):
    if len(argv) < 3 or argv[1] not in ("contracts", "proto"):
        sys.exit(__doc__)
    given = [int(a) for a in argv[3:6]]
    n, versions, first_fields = given + [200, 5, 14][len(given):]
    (write_contracts if argv[1] == "contracts" else write_proto)(argv[2], n, versions, first_fields)
    print(f"{n} {argv[1]} x {versions} versions, {first_fields}..{first_fields + 2 * (versions - 1)} fields, in {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
