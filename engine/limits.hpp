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
    const std::atomic<bool>* cancel = nullptr;      // set from another thread (Ctrl-C) to stop
};

}  // namespace charter::engine
