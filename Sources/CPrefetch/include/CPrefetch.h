// Software prefetch hints for EventRuntime's hot loops (Sources/EventRuntime/Prefetch.swift).
// Swift has no prefetch of its own; these inline into the caller.
#ifndef EVENTCONTRACTS_CPREFETCH_H
#define EVENTCONTRACTS_CPREFETCH_H

/// Starts loading the cache line at `address`, asked for writing (a retain writes the reference
/// count; targets without a write prefetch, such as the default x86-64, get a read prefetch) and
/// kept in every cache level. Never faults: any address is allowed.
static inline void eventcontracts_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
