// librdkafka from Debian's librdkafka-dev (2.0.2): the client and its built-in mock cluster.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
