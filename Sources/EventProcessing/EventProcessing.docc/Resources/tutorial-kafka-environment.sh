# A local cluster without TLS:
export KAFKA_BOOTSTRAP_SERVERS=localhost:9092
swift run Shop

# A managed cluster with SASL/SCRAM over TLS:
export KAFKA_BOOTSTRAP_SERVERS=b-1.example:9096,b-2.example:9096
export KAFKA_SECURITY_PROTOCOL=sasl_ssl KAFKA_SASL_MECHANISM=SCRAM-SHA-512
export KAFKA_SASL_USERNAME=shipping KAFKA_SASL_PASSWORD=…
swift run Shop
