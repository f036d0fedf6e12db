// The simdjson peer of eventc-bench's codec group: decodes the benchmark's PaymentCompleted JSON
// with simdjson 3.0's On-Demand API into a plain struct, doing the work our generated decoder
// does: every field extracted and converted (UUID to 16 bytes, timestamp to nanoseconds, the
// decimal kept as its exact text after checking it is a JSON number), keys in any order,
// unknown keys skipped, a missing required field an error, nothing after the object.
//
// Two forms, both timed, the benchmark comparing against the faster ("simdjson at its best"):
// walking the members with a chain of raw key compares, and `find_field_unordered` per known key,
// the form simdjson's documentation gives for known keys. Which wins depends on the machine and
// simdjson's kernel: on the machine of the figures the README quotes (simdjson 3.0.1, haswell
// kernel), walking took 289-297 ns and finding 363-369 ns in four alternating standalone runs;
// another machine measured finding faster. Measuring both keeps the comparison honest on either.
//
// What simdjson validates here: UTF-8 of the whole input and the structure (stage 1), then each
// value as it is visited; skipped values are only scanned. Keys are compared as raw bytes, as
// simdjson's documentation recommends for speed (an escaped key would not match: our decoder
// decodes it). Built by Benchmarks/peers/build with -O3 -march=native, simdjson's recommended
// setting for On-Demand (it picks the widest kernel the machine has at compile time).
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace {

using namespace simdjson;

enum class Method : uint8_t { card, transfer, points, wallet };

struct PaymentCompleted {
  std::string orderId;
  uint8_t paymentId[16];
  std::string amount;
  std::string currency = "KRW";
  int64_t capturedAtNanos;
  Method method = Method::card;
  std::optional<std::string> note;
  int32_t installments = 1;
};

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool parseUUID(std::string_view text, uint8_t out[16]) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return false;
  size_t cursor = 0;
  for (int index = 0; index < 16; index++) {
    if (cursor == 8 || cursor == 13 || cursor == 18 || cursor == 23) cursor++;
    int high = hexValue(text[cursor]), low = hexValue(text[cursor + 1]);
    if (high < 0 || low < 0) return false;
    out[index] = uint8_t(high << 4 | low);
    cursor += 2;
  }
  return true;
}

bool digits(std::string_view text, size_t start, size_t count, int &value) {
  if (start + count > text.size()) return false;
  value = 0;
  for (size_t index = start; index < start + count; index++) {
    if (text[index] < '0' || text[index] > '9') return false;
    value = value * 10 + (text[index] - '0');
  }
  return true;
}

int64_t daysFromCivil(int64_t year, int64_t month, int64_t day) {  // Howard Hinnant's
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// RFC 3339 date-time to nanoseconds since 1970, the same checks as our decoder's.
bool parseTimestamp(std::string_view text, int64_t &nanos) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) || text[7] != '-' ||
      !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second))
    return false;
  static const int monthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > monthDays[month - 1] + (month == 2 && leap) || hour > 23 ||
      minute > 59 || second > 60)
    return false;
  size_t index = 19;
  int64_t fraction = 0;
  if (text[index] == '.') {
    index++;
    int64_t scale = 100000000;
    size_t start = index;
    while (index < text.size() && text[index] >= '0' && text[index] <= '9') {
      fraction += (text[index] - '0') * scale;
      scale /= 10;
      index++;
    }
    if (index == start) return false;
  }
  if (index >= text.size()) return false;
  int64_t offset = 0;
  if (text[index] == 'Z' || text[index] == 'z') {
    if (index + 1 != text.size()) return false;
  } else if (text[index] == '+' || text[index] == '-') {
    int offsetHour, offsetMinute;
    if (text.size() != index + 6 || !digits(text, index + 1, 2, offsetHour) || text[index + 3] != ':' ||
        !digits(text, index + 4, 2, offsetMinute) || offsetHour > 23 || offsetMinute > 59)
      return false;
    offset = (offsetHour * 3600 + offsetMinute * 60) * (text[index] == '+' ? 1 : -1);
  } else {
    return false;
  }
  int64_t seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  nanos = seconds * 1000000000 + fraction;
  return true;
}

/// JSON's number grammar over the whole text: what keeping a decimal exact has to check.
bool isJSONNumber(std::string_view text) {
  size_t index = 0;
  auto run = [&] {
    size_t start = index;
    while (index < text.size() && text[index] >= '0' && text[index] <= '9') index++;
    return index - start;
  };
  if (index < text.size() && text[index] == '-') index++;
  if (index < text.size() && text[index] == '0') {
    index++;
  } else if (run() == 0) {
    return false;
  }
  if (index < text.size() && text[index] == '.') {
    index++;
    if (run() == 0) return false;
  }
  if (index < text.size() && (text[index] == 'e' || text[index] == 'E')) {
    index++;
    if (index < text.size() && (text[index] == '+' || text[index] == '-')) index++;
    if (run() == 0) return false;
  }
  return index == text.size();
}

bool readMoneyWalkingMembers(ondemand::value value, PaymentCompleted &event) {
  ondemand::object object;
  if (value.get_object().get(object)) return false;
  bool hasAmount = false;
  for (auto field : object) {
    ondemand::raw_json_string key;
    if (field.key().get(key)) return false;
    if (key == "amount") {
      std::string_view text;
      if (field.value().get_string().get(text) || !isJSONNumber(text)) return false;
      event.amount.assign(text);
      hasAmount = true;
    } else if (key == "currency") {
      std::string_view text;
      if (field.value().get_string().get(text)) return false;
      event.currency.assign(text);
    }
  }
  return hasAmount;
}

/// Every member in turn, its key compared with each known one: unknown members are skipped.
bool decodeWalkingMembers(ondemand::parser &parser, padded_string_view json, PaymentCompleted &event) {
  ondemand::document document;
  ondemand::object object;
  if (parser.iterate(json).get(document) || document.get_object().get(object)) return false;
  bool hasOrderId = false, hasPaymentId = false, hasTotal = false, hasCapturedAt = false;
  for (auto field : object) {
    ondemand::raw_json_string key;
    if (field.key().get(key)) return false;
    std::string_view text;
    if (key == "orderId") {
      if (field.value().get_string().get(text)) return false;
      event.orderId.assign(text);
      hasOrderId = true;
    } else if (key == "paymentId") {
      if (field.value().get_string().get(text) || !parseUUID(text, event.paymentId)) return false;
      hasPaymentId = true;
    } else if (key == "total") {
      if (!readMoneyWalkingMembers(field.value(), event)) return false;
      hasTotal = true;
    } else if (key == "capturedAt") {
      if (field.value().get_string().get(text) || !parseTimestamp(text, event.capturedAtNanos)) return false;
      hasCapturedAt = true;
    } else if (key == "method") {
      if (field.value().get_string().get(text)) return false;
      event.method = text == "transfer" ? Method::transfer
                     : text == "points" ? Method::points
                     : text == "wallet" ? Method::wallet
                                        : Method::card;  // unknown symbols read as the default, as ours
    } else if (key == "note") {
      ondemand::value value;
      if (field.value().get(value)) return false;
      bool isNull;
      if (value.is_null().get(isNull)) return false;
      if (isNull) {
        event.note.reset();
      } else {
        if (value.get_string().get(text)) return false;
        event.note.emplace(text);
      }
    } else if (key == "installments") {
      int64_t number;
      if (field.value().get_int64().get(number) || number < INT32_MIN || number > INT32_MAX) return false;
      event.installments = int32_t(number);
    }
  }
  return hasOrderId && hasPaymentId && hasTotal && hasCapturedAt &&
         document.current_location().error() == OUT_OF_BOUNDS;  // nothing after the object (3.0 has no at_end())
}

/// A member that may be missing: false on a real error, `present` false when it is not there.
template <typename T> bool optionalField(simdjson_result<T> result, T &value, bool &present) {
  error_code error = result.get(value);
  present = error == SUCCESS;
  return error == SUCCESS || error == NO_SUCH_FIELD;
}

bool readMoneyFindingFields(ondemand::value value, PaymentCompleted &event) {
  ondemand::object object;
  if (value.get_object().get(object)) return false;
  std::string_view text;
  if (object.find_field_unordered("amount").get_string().get(text) || !isJSONNumber(text)) return false;
  event.amount.assign(text);
  ondemand::value currency;
  bool present;
  if (!optionalField(object.find_field_unordered("currency"), currency, present)) return false;
  if (present) {
    if (currency.get_string().get(text)) return false;
    event.currency.assign(text);
  }
  return true;
}

/// The fastest form simdjson's documentation gives for known keys: `find_field_unordered` per
/// field, which, with the members in the order asked (what the writer writes), finds each at the
/// iterator's place with no search.
bool decodeFindingFields(ondemand::parser &parser, padded_string_view json, PaymentCompleted &event) {
  ondemand::document document;
  ondemand::object object;
  if (parser.iterate(json).get(document) || document.get_object().get(object)) return false;
  std::string_view text;
  if (object.find_field_unordered("orderId").get_string().get(text)) return false;
  event.orderId.assign(text);
  if (object.find_field_unordered("paymentId").get_string().get(text) || !parseUUID(text, event.paymentId)) return false;
  ondemand::value total;
  if (object.find_field_unordered("total").get(total) || !readMoneyFindingFields(total, event)) return false;
  if (object.find_field_unordered("capturedAt").get_string().get(text) || !parseTimestamp(text, event.capturedAtNanos)) return false;
  ondemand::value value;
  bool present;
  if (!optionalField(object.find_field_unordered("method"), value, present)) return false;
  if (present) {
    if (value.get_string().get(text)) return false;
    event.method = text == "transfer" ? Method::transfer
                   : text == "points" ? Method::points
                   : text == "wallet" ? Method::wallet
                                      : Method::card;  // unknown symbols read as the default, as ours
  }
  if (!optionalField(object.find_field_unordered("note"), value, present)) return false;
  if (present) {
    bool isNull;
    if (value.is_null().get(isNull)) return false;
    if (isNull) {
      event.note.reset();
    } else {
      if (value.get_string().get(text)) return false;
      event.note.emplace(text);
    }
  }
  if (!optionalField(object.find_field_unordered("installments"), value, present)) return false;
  if (present) {
    int64_t number;
    if (value.get_int64().get(number) || number < INT32_MIN || number > INT32_MAX) return false;
    event.installments = int32_t(number);
  }
  // Nothing after the object (3.0 has no at_end()): part of the work, as ours refuses trailing
  // bytes. The fields were found in place; `raw_json` takes the iterator past the object's end.
  std::string_view whole;
  if (object.raw_json().get(whole)) return false;
  return document.current_location().error() == OUT_OF_BOUNDS;
}

using Decoder = bool (*)(ondemand::parser &, padded_string_view, PaymentCompleted &);

int64_t decodeRepeatedly(Decoder decode, const uint8_t *json, size_t length, int64_t iterations) {
  padded_string padded(reinterpret_cast<const char *>(json), length);
  ondemand::parser parser;
  int64_t checksum = 0;
  for (int64_t iteration = 0; iteration < iterations; iteration++) {
    PaymentCompleted event;
    if (!decode(parser, padded, event)) return -1;
    checksum += event.installments + int64_t(event.orderId.size()) + event.paymentId[15] + (event.capturedAtNanos & 0xFF) +
                int64_t(event.amount.size()) + int64_t(event.note ? event.note->size() : 0) + int64_t(event.method);
  }
  return checksum;
}

int64_t describe(Decoder decode, const uint8_t *json, size_t length, char *out, size_t capacity) {
  padded_string padded(reinterpret_cast<const char *>(json), length);
  ondemand::parser parser;
  PaymentCompleted event;
  if (!decode(parser, padded, event)) return -1;
  std::string hex;
  for (uint8_t byte : event.paymentId) {
    hex += "0123456789abcdef"[byte >> 4];
    hex += "0123456789abcdef"[byte & 15];
  }
  static const char *methods[] = {"card", "transfer", "points", "wallet"};
  std::string text = event.orderId + "|" + hex + "|" + event.amount + "|" + event.currency + "|" +
                     std::to_string(event.capturedAtNanos) + "|" + methods[int(event.method)] + "|" +
                     (event.note ? *event.note : "-") + "|" + std::to_string(event.installments);
  if (text.size() > capacity) return -1;
  std::memcpy(out, text.data(), text.size());
  return int64_t(text.size());
}

}  // namespace

extern "C" {

/// Decodes `json` `iterations` times walking the members; returns a checksum of what was read, or
/// -1 when the input does not decode. The input is copied once into a padded buffer (simdjson
/// reads up to 64 bytes past the end), outside the loop.
int64_t peer_simdjson_decode(const uint8_t *json, size_t length, int64_t iterations) {
  return decodeRepeatedly(decodeWalkingMembers, json, length, iterations);
}

/// The same with `find_field_unordered`.
int64_t peer_simdjson_decode_find_field(const uint8_t *json, size_t length, int64_t iterations) {
  return decodeRepeatedly(decodeFindingFields, json, length, iterations);
}

/// What one decode read, as `orderId|paymentId hex|amount|currency|nanoseconds|method|note|installments`
/// (note `-` when null), so the benchmark can check both sides read the same values. Returns the
/// text's length, or -1.
int64_t peer_simdjson_describe(const uint8_t *json, size_t length, char *out, size_t capacity) {
  return describe(decodeWalkingMembers, json, length, out, capacity);
}

/// The same with `find_field_unordered`.
int64_t peer_simdjson_describe_find_field(const uint8_t *json, size_t length, char *out, size_t capacity) {
  return describe(decodeFindingFields, json, length, out, capacity);
}
}
