// The memory limit's two measurements (limits.hpp): how much memory there is, how much is used.
#include "limits.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

namespace charter::engine {

namespace {

std::uint64_t physical_memory() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page_size = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0) return 0;
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

/// cgroup v2 `memory.max` (or v1 `memory.limit_in_bytes`); 0 when there is none.
std::uint64_t cgroup_memory() {
    for (const char* path : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream in(path);
        std::string text;
        if (!(in >> text) || text == "max") continue;
        try {
            return std::stoull(text);
        } catch (...) {
            continue;
        }
    }
    return 0;
}

}  // namespace

std::uint64_t default_max_memory() {
    static const std::uint64_t value = [] {
        std::uint64_t total = physical_memory();
        const std::uint64_t cgroup = cgroup_memory();
        if (cgroup > 0 && (total == 0 || cgroup < total)) total = cgroup;
        if (total == 0) total = std::uint64_t{8} << 30;  // unknown: assume a small machine
        return total / 4 * 3;
    }();
    return value;
}

std::uint64_t resident_memory() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (f == nullptr) return 0;
    unsigned long long size = 0, resident = 0;
    const int read = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    if (read != 2) return 0;
    return static_cast<std::uint64_t>(resident) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace charter::engine
