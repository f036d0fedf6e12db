"""The fastavro peer of eventc-bench's codec group: the benchmark's PaymentCompleted read and
written with fastavro's schemaless reader and writer, a record a call, the schema parsed once.
The same work as ours: the UUID's text to a uuid.UUID, the decimal's bytes to a Decimal (fastavro
does both through the logical types), strings as str; on encoding, the reverse.

  python peer.py BYTES_FILE SCHEMA_FILE ITERATIONS SAMPLES
prints `describe …`, `encoded HEX`, `decode_ns N`, `encode_ns N` (the fastest sample per record).
"""
import io
import json
import sys
import time
import warnings

import fastavro

warnings.filterwarnings("ignore")  # fastavro does not know timestamp-nanos; it reads a long, as it should


def describe(record):
    amount = record["total"]["amount"]
    text = "0" if amount == 0 else format(amount.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "|".join([record["orderId"], record["paymentId"].hex, text, record["total"]["currency"], str(record["capturedAt"]),
                     record["method"], record["note"] if record["note"] is not None else "-", str(record["installments"])])


def main():
    data = open(sys.argv[1], "rb").read()
    schema = fastavro.parse_schema(json.load(open(sys.argv[2])))
    iterations, samples = int(sys.argv[3]), int(sys.argv[4])
    record = fastavro.schemaless_reader(io.BytesIO(data), schema)
    print("describe " + describe(record))
    out = io.BytesIO()
    fastavro.schemaless_writer(out, schema, record)
    print("encoded " + out.getvalue().hex())
    best_decode = best_encode = float("inf")
    for _ in range(samples):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            record = fastavro.schemaless_reader(io.BytesIO(data), schema)
        best_decode = min(best_decode, time.perf_counter_ns() - start)
        start = time.perf_counter_ns()
        for _ in range(iterations):
            out = io.BytesIO()
            fastavro.schemaless_writer(out, schema, record)
        best_encode = min(best_encode, time.perf_counter_ns() - start)
    print("decode_ns %f" % (best_decode / iterations))
    print("encode_ns %f" % (best_encode / iterations))


if __name__ == "__main__":
    main()
