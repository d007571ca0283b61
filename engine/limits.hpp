// Resource limits of one evaluation (§9): exceeding one ends evaluation with a clear error.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace charter::engine {

struct Limits {
    std::uint64_t max_tuples = 50'000'000;          // derived tuples, all relations together
    std::chrono::milliseconds timeout{60'000};      // wall time of one evaluation
    std::uint32_t max_depth = 256;                  // nesting of aggregates inside aggregates
    /// Resident memory of the whole process, in bytes, past which evaluation stops; 0 means
    /// default_max_memory(). max_tuples alone does not bound memory: a tuple may be thousands
    /// of values wide, and Linux would rather kill the process than fail an allocation.
    std::uint64_t max_memory = 0;
    const std::atomic<bool>* cancel = nullptr;      // set from another thread (Ctrl-C) to stop
};

/// Three quarters of the memory this process may have: the machine's, or its cgroup's limit
/// when that is lower (a container). Computed once.
std::uint64_t default_max_memory();

/// The process's resident memory in bytes (Linux /proc/self/statm); 0 when it cannot be read.
std::uint64_t resident_memory();

}  // namespace charter::engine
