import EventTransport

/// The transaction coordinator: transactional ids, epochs (zombie fencing), markers, and offsets
/// committed with a transaction.
extension InProcessBroker {
    /// Registers a transactional producer: the first gets a new producer id; a later one with the
    /// same id gets the next epoch, which fences the earlier instance, and any transaction the
    /// earlier one left open is aborted.
    func initTransactions(_ transactionalId: String) throws(TransportError) -> (producerId: Int64, epoch: Int16, ticket: UInt64?) {
        let now = clock.milliseconds()
        let flusher = flusher
        let result = try withState { (state) throws(TransportError) -> (Int64, Int16, UInt64?) in
            try state.checkWritable()
            var ticket: UInt64?
            var transaction: TransactionState
            if var existing = state.transactions[transactionalId] {
                if existing.ongoing {
                    ticket = try Self.writeMarkers(&state, existing, commit: false, now: now, flusher: flusher)
                }
                if existing.epoch == Int16.max {
                    existing = TransactionState(producerId: state.nextProducerId, epoch: 0)
                    state.nextProducerId += 1
                } else {
                    existing = TransactionState(producerId: existing.producerId, epoch: existing.epoch + 1)
                }
                transaction = existing
            } else {
                transaction = TransactionState(producerId: state.nextProducerId, epoch: 0)
                state.nextProducerId += 1
            }
            state.transactions[transactionalId] = transaction
            if let journal = state.journals?.transactions {
                try journal.append { writer in
                    writer.write(string: transactionalId)
                    writer.write(transaction.producerId)
                    writer.write(transaction.epoch)
                }
                ticket = flusher?.markWritten(journal.file)
            }
            return (transaction.producerId, transaction.epoch, ticket)
        }
        logger.info("transactional producer registered", metadata: [
            "transactional.id": "\(transactionalId)", "producer.id": "\(result.0)", "epoch": "\(result.1)",
        ])
        return result
    }

    func beginTransaction(_ transactionalId: String, producerId: Int64, epoch: Int16) throws(TransportError) {
        try withState { (state) throws(TransportError) in
            let transaction = try state.currentTransaction(transactionalId, producerId: producerId, epoch: epoch)
            guard !transaction.ongoing else {
                throw TransportError(.invalidTransactionState, "transaction '\(transactionalId)' is already open: commit or abort it first")
            }
            state.transactions[transactionalId]!.ongoing = true
        }
    }

    func addOffsetsToTransaction(
        _ transactionalId: String, producerId: Int64, epoch: Int16, group: String, offsets: [TopicPartition: Int64]
    ) throws(TransportError) {
        try withState { (state) throws(TransportError) in
            let transaction = try state.currentTransaction(transactionalId, producerId: producerId, epoch: epoch)
            guard transaction.ongoing else {
                throw TransportError(.invalidTransactionState, "no open transaction for '\(transactionalId)': call beginTransaction first")
            }
            for (partition, offset) in offsets {
                try state.checkPartition(partition)
                state.transactions[transactionalId]!.offsets[group, default: [:]][partition] = offset
            }
        }
    }

    /// Commits or aborts: a marker on every partition the transaction wrote to, then (commit only)
    /// its consumer offsets, all under one lock, so readers see all of it or none.
    func endTransaction(_ transactionalId: String, producerId: Int64, epoch: Int16, commit: Bool) throws(TransportError) -> UInt64? {
        let now = clock.milliseconds()
        let flusher = flusher
        return try withState { (state) throws(TransportError) -> UInt64? in
            let transaction = try state.currentTransaction(transactionalId, producerId: producerId, epoch: epoch)
            guard transaction.ongoing else {
                throw TransportError(.invalidTransactionState, "no open transaction for '\(transactionalId)': call beginTransaction first")
            }
            var ticket = try Self.writeMarkers(&state, transaction, commit: commit, now: now, flusher: flusher)
            if commit {
                for (group, offsets) in transaction.offsets.sorted(by: { $0.key < $1.key }) {
                    state.groups[group] = state.groups[group] ?? GroupState()
                    let journal = state.journals?.offsets
                    ticket = try Self.commit(&state.groups[group]!, groupId: group, offsets: offsets, journal: journal, flusher: flusher) ?? ticket
                }
            }
            state.transactions[transactionalId] = TransactionState(producerId: producerId, epoch: epoch)
            return ticket
        }
    }

    static func writeMarkers(
        _ state: inout BrokerState, _ transaction: TransactionState, commit: Bool, now: Int64, flusher: DurabilityFlusher?
    ) throws(TransportError) -> UInt64? {
        var ticket: UInt64?
        for partition in transaction.partitions.sorted() {
            let config = state.topics[partition.topic]!.config
            let outcome = try state.topics[partition.topic]!.partitions[partition.partition].endTransaction(
                producerId: transaction.producerId, epoch: transaction.epoch, commit: commit, timestamp: now, config: config)
            if let file = outcome.file, let flusher { ticket = flusher.markWritten(file, logEnd: (partition, outcome.logEnd)) }
            state.noteChange(topic: partition.topic)
        }
        return ticket
    }
}

extension BrokerState {
    /// The transaction, if this producer is its current instance; otherwise the producer is a zombie.
    func currentTransaction(_ transactionalId: String, producerId: Int64, epoch: Int16) throws(TransportError) -> TransactionState {
        guard let transaction = transactions[transactionalId] else {
            throw TransportError(.invalidTransactionState, "unknown transactional id '\(transactionalId)': create the producer with it first")
        }
        guard transaction.producerId == producerId, transaction.epoch == epoch else {
            throw TransportError(
                .producerFenced,
                "producer for transactional id '\(transactionalId)' (epoch \(epoch)) was fenced by a newer instance (epoch \(transaction.epoch)): close this one")
        }
        return transaction
    }

    mutating func checkTransactionalSend(_ transactionalId: String, batches: [RecordBatch]) throws(TransportError) {
        guard let producer = batches.first?.producer else { return }
        let transaction = try currentTransaction(transactionalId, producerId: producer.producerId, epoch: producer.epoch)
        guard transaction.ongoing else {
            throw TransportError(.invalidTransactionState, "a transactional producer sends inside a transaction: call beginTransaction first")
        }
        for batch in batches { transactions[transactionalId]!.partitions.insert(batch.partition) }
    }
}
