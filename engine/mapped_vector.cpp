// MappedVector's storage (mapped_vector.hpp).
#include "mapped_vector.hpp"

#include <cstdlib>
#include <new>

#include <sys/mman.h>

namespace charter::engine::mapped_storage {

namespace {
constexpr std::size_t small_limit = std::size_t{256} << 10;  // below: malloc's
constexpr std::size_t huge_page = std::size_t{2} << 20;
constexpr std::size_t huge_from = std::size_t{4} << 20;      // smaller tables fit the TLB's reach

bool is_mapped(std::size_t bytes) { return bytes >= small_limit; }

// A hint (Pages::huge), whose failure changes nothing but speed.
void advise(void* p, std::size_t bytes) {
    if (bytes >= huge_from) ::madvise(p, bytes, MADV_HUGEPAGE);
}
}  // namespace

void* grow(void* old, std::size_t old_bytes, std::size_t used, std::size_t& bytes, Pages pages) {
    if (!is_mapped(bytes)) {
        void* p = std::realloc(old, bytes);
        if (p == nullptr) throw std::bad_alloc();
        return p;
    }
    bytes = (bytes + huge_page - 1) / huge_page * huge_page;  // whole huge pages, so that they line up
    void* p = nullptr;
    if (is_mapped(old_bytes)) {
        p = ::mremap(old, old_bytes, bytes, MREMAP_MAYMOVE);
        if (p == MAP_FAILED) throw std::bad_alloc();
    } else {
        p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        if (used > 0) std::memcpy(p, old, used);
        std::free(old);
    }
    if (pages == Pages::huge) advise(p, bytes);
    return p;
}

void release(void* storage, std::size_t bytes) noexcept {
    if (storage == nullptr) return;
    if (is_mapped(bytes)) ::munmap(storage, bytes);
    else std::free(storage);
}

}  // namespace charter::engine::mapped_storage
