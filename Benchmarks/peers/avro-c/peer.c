// The Avro C peer of eventc-bench's codec group (Avro C 1.11, Debian's libavro-dev): decodes and
// encodes the benchmark's PaymentCompleted (Avro binary, version 3's schema) with Avro C's value
// API, a generic value reused across records, doing the work ours does: every field read and
// converted (the UUID's 36 characters to 16 bytes, the decimal's unscaled bytes to its exact text
// at scale 18, the enum's index kept, the optional note), and on encoding the reverse (16 bytes to
// the UUID's text, the decimal's text to its unscaled bytes).
//
// What Avro C validates: lengths against the input, union branches and enum indices against the
// schema; not UTF-8 (ours checks every string). Built by Benchmarks/peers/build with -O3.
#include <avro.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char order_id[64];
  size_t order_id_size;
  uint8_t payment_id[16];
  char amount[64];
  char currency[16];
  int64_t captured_at;
  int method;
  int has_note;
  char note[128];
  int32_t installments;
} payment_t;

typedef struct {
  avro_schema_t schema;
  avro_value_iface_t *iface;
  avro_value_t value;
  avro_reader_t reader;
  avro_writer_t writer;
  char out[1024];
  payment_t event;
} peer_t;

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int parse_uuid(const char *text, size_t size, uint8_t out[16]) {
  if (size != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return 0;
  size_t cursor = 0;
  for (int index = 0; index < 16; index++) {
    if (cursor == 8 || cursor == 13 || cursor == 18 || cursor == 23) cursor++;
    int high = hex_value(text[cursor]), low = hex_value(text[cursor + 1]);
    if (high < 0 || low < 0) return 0;
    out[index] = (uint8_t)(high << 4 | low);
    cursor += 2;
  }
  return 1;
}

static void format_uuid(const uint8_t bytes[16], char out[36]) {
  static const char hex[] = "0123456789abcdef";
  size_t cursor = 0;
  for (int index = 0; index < 16; index++) {
    if (index == 4 || index == 6 || index == 8 || index == 10) out[cursor++] = '-';
    out[cursor++] = hex[bytes[index] >> 4];
    out[cursor++] = hex[bytes[index] & 15];
  }
}

/// Big-endian two's complement of up to 16 bytes → the exact decimal text at `scale`.
static int decimal_text(const uint8_t *bytes, size_t size, int scale, char *out, size_t capacity) {
  if (size == 0 || size > 16) return 0;
  __int128 value = (bytes[0] & 0x80) ? -1 : 0;
  for (size_t index = 0; index < size; index++) value = (value << 8) | bytes[index];
  int negative = value < 0;
  unsigned __int128 magnitude = negative ? (unsigned __int128)(-value) : (unsigned __int128)value;
  char digits[48];
  int count = 0;
  do {
    digits[count++] = (char)('0' + (int)(magnitude % 10));
    magnitude /= 10;
  } while (magnitude > 0);
  while (count <= scale) digits[count++] = '0';  // at least one integer digit
  int fraction_end = 0;  // trailing fraction zeros dropped
  while (fraction_end < scale && digits[fraction_end] == '0') fraction_end++;
  size_t length = 0;
  if (negative && (count > scale + 1 || digits[scale] != '0' || fraction_end < scale)) out[length++] = '-';
  for (int index = count - 1; index >= scale; index--) out[length++] = digits[index];
  if (fraction_end < scale) {
    out[length++] = '.';
    for (int index = scale - 1; index >= fraction_end; index--) out[length++] = digits[index];
  }
  if (length >= capacity) return 0;
  out[length] = 0;
  return 1;
}

/// The decimal text (digits, one optional '.', optional '-') → unscaled bytes at `scale`.
static size_t decimal_bytes(const char *text, int scale, uint8_t out[16]) {
  int negative = *text == '-';
  if (negative) text++;
  __int128 value = 0;
  int fraction = -1;
  for (; *text; text++) {
    if (*text == '.') {
      fraction = 0;
      continue;
    }
    value = value * 10 + (*text - '0');
    if (fraction >= 0) fraction++;
  }
  for (int index = fraction < 0 ? 0 : fraction; index < scale; index++) value *= 10;
  if (negative) value = -value;
  uint8_t full[16];
  for (int index = 15; index >= 0; index--) {
    full[index] = (uint8_t)value;
    value >>= 8;
  }
  int start = 0;
  while (start < 15 && ((full[start] == 0 && !(full[start + 1] & 0x80)) || (full[start] == 0xFF && (full[start + 1] & 0x80)))) start++;
  memcpy(out, full + start, 16 - start);
  return 16 - start;
}

static int read_event(peer_t *peer, const char *bytes, size_t length) {
  avro_reader_memory_set_source(peer->reader, bytes, (int64_t)length);
  avro_value_reset(&peer->value);
  if (avro_value_read(peer->reader, &peer->value)) return 0;
  payment_t *event = &peer->event;
  avro_value_t field, inner, branch;
  const char *text;
  const void *raw;
  size_t size;
  if (avro_value_get_by_index(&peer->value, 0, &field, NULL) || avro_value_get_string(&field, &text, &size) || size > sizeof(event->order_id)) return 0;
  memcpy(event->order_id, text, size);
  event->order_id_size = size - 1;
  if (avro_value_get_by_index(&peer->value, 1, &field, NULL) || avro_value_get_string(&field, &text, &size) ||
      !parse_uuid(text, size - 1, event->payment_id))
    return 0;
  if (avro_value_get_by_index(&peer->value, 2, &field, NULL) || avro_value_get_by_index(&field, 0, &inner, NULL) ||
      avro_value_get_bytes(&inner, &raw, &size) || !decimal_text(raw, size, 18, event->amount, sizeof(event->amount)))
    return 0;
  if (avro_value_get_by_index(&field, 1, &inner, NULL) || avro_value_get_string(&inner, &text, &size) || size > sizeof(event->currency)) return 0;
  memcpy(event->currency, text, size);
  if (avro_value_get_by_index(&peer->value, 3, &field, NULL) || avro_value_get_long(&field, &event->captured_at)) return 0;
  if (avro_value_get_by_index(&peer->value, 4, &field, NULL) || avro_value_get_enum(&field, &event->method)) return 0;
  int discriminant;
  if (avro_value_get_by_index(&peer->value, 5, &field, NULL) || avro_value_get_discriminant(&field, &discriminant)) return 0;
  event->has_note = discriminant == 1;
  if (event->has_note) {
    if (avro_value_get_current_branch(&field, &branch) || avro_value_get_string(&branch, &text, &size) || size > sizeof(event->note)) return 0;
    memcpy(event->note, text, size);
  }
  if (avro_value_get_by_index(&peer->value, 6, &field, NULL) || avro_value_get_int(&field, &event->installments)) return 0;
  return 1;
}

static int64_t write_event(peer_t *peer) {
  payment_t *event = &peer->event;
  avro_value_t field, inner, branch;
  char uuid[36];
  uint8_t amount[16];
  format_uuid(event->payment_id, uuid);
  if (avro_value_get_by_index(&peer->value, 0, &field, NULL) || avro_value_set_string_len(&field, event->order_id, event->order_id_size + 1)) return -1;
  if (avro_value_get_by_index(&peer->value, 1, &field, NULL)) return -1;
  char uuid_text[37];
  memcpy(uuid_text, uuid, 36);
  uuid_text[36] = 0;
  if (avro_value_set_string_len(&field, uuid_text, 37)) return -1;
  if (avro_value_get_by_index(&peer->value, 2, &field, NULL) || avro_value_get_by_index(&field, 0, &inner, NULL)) return -1;
  size_t amount_size = decimal_bytes(event->amount, 18, amount);
  if (avro_value_set_bytes(&inner, amount, amount_size)) return -1;
  if (avro_value_get_by_index(&field, 1, &inner, NULL) || avro_value_set_string(&inner, event->currency)) return -1;
  if (avro_value_get_by_index(&peer->value, 3, &field, NULL) || avro_value_set_long(&field, event->captured_at)) return -1;
  if (avro_value_get_by_index(&peer->value, 4, &field, NULL) || avro_value_set_enum(&field, event->method)) return -1;
  if (avro_value_get_by_index(&peer->value, 5, &field, NULL) || avro_value_set_branch(&field, event->has_note ? 1 : 0, &branch)) return -1;
  if (event->has_note ? avro_value_set_string(&branch, event->note) : avro_value_set_null(&branch)) return -1;
  if (avro_value_get_by_index(&peer->value, 6, &field, NULL) || avro_value_set_int(&field, event->installments)) return -1;
  avro_writer_memory_set_dest(peer->writer, peer->out, sizeof(peer->out));
  if (avro_value_write(peer->writer, &peer->value)) return -1;
  return avro_writer_tell(peer->writer);
}

/// A peer for records of `schema` (its JSON); NULL when Avro C refuses the schema.
void *peer_avroc_new(const char *schema, size_t length) {
  peer_t *peer = calloc(1, sizeof(peer_t));
  if (!peer || avro_schema_from_json_length(schema, length, &peer->schema)) return NULL;
  peer->iface = avro_generic_class_from_schema(peer->schema);
  if (!peer->iface || avro_generic_value_new(peer->iface, &peer->value)) return NULL;
  peer->reader = avro_reader_memory(NULL, 0);
  peer->writer = avro_writer_memory(peer->out, sizeof(peer->out));
  return peer;
}

/// Decodes `bytes` `iterations` times; a checksum of what was read, or -1.
int64_t peer_avroc_decode(void *opaque, const uint8_t *bytes, size_t length, int64_t iterations) {
  peer_t *peer = opaque;
  int64_t checksum = 0;
  for (int64_t iteration = 0; iteration < iterations; iteration++) {
    if (!read_event(peer, (const char *)bytes, length)) return -1;
    checksum += peer->event.installments + (int64_t)peer->event.order_id_size + peer->event.payment_id[15] +
                (peer->event.captured_at & 0xFF) + (int64_t)strlen(peer->event.amount) + peer->event.method;
  }
  return checksum;
}

/// Encodes the event last decoded `iterations` times into a reused buffer; the last length, or -1.
int64_t peer_avroc_encode(void *opaque, int64_t iterations) {
  peer_t *peer = opaque;
  int64_t length = -1;
  for (int64_t iteration = 0; iteration < iterations; iteration++) length = write_event(peer);
  return length;
}

/// The bytes of one encoding of the event last decoded; their length, or -1.
int64_t peer_avroc_encode_once(void *opaque, uint8_t *out, size_t capacity) {
  peer_t *peer = opaque;
  int64_t length = write_event(peer);
  if (length < 0 || (size_t)length > capacity) return -1;
  memcpy(out, peer->out, (size_t)length);
  return length;
}

/// What one decode read, as `orderId|paymentId hex|amount|currency|nanoseconds|method|note|installments`.
int64_t peer_avroc_describe(void *opaque, const uint8_t *bytes, size_t length, char *out, size_t capacity) {
  peer_t *peer = opaque;
  if (!read_event(peer, (const char *)bytes, length)) return -1;
  static const char *methods[] = {"card", "transfer", "points", "wallet"};
  static const char hex[] = "0123456789abcdef";
  char id[33];
  for (int index = 0; index < 16; index++) {
    id[2 * index] = hex[peer->event.payment_id[index] >> 4];
    id[2 * index + 1] = hex[peer->event.payment_id[index] & 15];
  }
  id[32] = 0;
  int written = snprintf(out, capacity, "%s|%s|%s|%s|%lld|%s|%s|%d", peer->event.order_id, id, peer->event.amount, peer->event.currency,
                         (long long)peer->event.captured_at, peer->event.method >= 0 && peer->event.method < 4 ? methods[peer->event.method] : "?",
                         peer->event.has_note ? peer->event.note : "-", peer->event.installments);
  return written < 0 || (size_t)written >= capacity ? -1 : written;
}
