// An allocator for the arrays behind large hash tables, backed by 2 MiB pages where the kernel
// allows it.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include <sys/mman.h>

namespace charter::engine {

/// Allocates arrays of 4 MiB and more aligned to 2 MiB and asks the kernel to back them with
/// huge pages (madvise MADV_HUGEPAGE: honoured when transparent huge pages are `madvise` or
/// `always`, as on Debian; otherwise a no-op). A table of millions of slots read at random
/// otherwise misses the TLB at nearly every lookup, and under virtualisation each miss is a
/// two-level page walk; with 4 KiB pages a prefetch of the slot does not hide that. Smaller
/// arrays come from the ordinary allocator.
template <typename T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t huge_page = std::size_t{2} << 20;
    static constexpr std::size_t threshold = std::size_t{4} << 20;

    HugePageAllocator() = default;
    template <typename U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding converts

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < threshold) return std::allocator<T>{}.allocate(n);
        const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
        void* p = std::aligned_alloc(huge_page, rounded);
        if (p == nullptr) throw std::bad_alloc();
        ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure changes nothing but speed
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < threshold) std::allocator<T>{}.deallocate(p, n);
        else std::free(p);
    }
    template <typename U>
    bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

/// A vector whose storage is a HugePageAllocator's.
template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace charter::engine
