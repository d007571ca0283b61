// A vector of plain values that grows without copying them: past a few hundred KiB its storage
// is an anonymous mapping of its own, which grows by moving the mapping (mremap) instead of
// allocating a larger block, copying into it and freeing the old one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <type_traits>
#include <utility>

namespace charter::engine {

/// Whether a MappedVector's storage asks the kernel for 2 MiB pages (madvise MADV_HUGEPAGE,
/// honoured when transparent huge pages are `madvise` or `always`, as on Debian). Only for the
/// table read at random most often, the entity name index: at millions of names nearly every
/// lookup in it misses the TLB, and under virtualisation each miss is a two-level page walk
/// that a prefetch does not hide. Elsewhere the kernel's work to find and clear huge pages
/// (direct compaction, with THP `defrag` at `madvise`) cost more than it saved
/// (docs/performance.md, change 22).
enum class Pages { small, huge };

namespace mapped_storage {
/// Room for `bytes` (at least), keeping the first `used` bytes of `old` (of `old_bytes`, from
/// an earlier call or null); returns the storage and sets `bytes` to its size. Small storage
/// comes from malloc, large from mmap (asking for huge pages past 4 MiB if `pages` says so);
/// large storage grows by mremap. Throws std::bad_alloc, leaving `old` as it was.
void* grow(void* old, std::size_t old_bytes, std::size_t used, std::size_t& bytes, Pages pages);
void release(void* storage, std::size_t bytes) noexcept;
}  // namespace mapped_storage

/// The part of std::vector's interface that the symbol and entity tables use, for trivially
/// copyable T. At millions of entities a doubling std::vector touched each page of a table
/// twice on the way (once in the block it outgrew), and the kernel's first touch of a page is
/// the dearest memory cost at that size (docs/performance.md); here a page is touched only
/// when a value is written to it.
template <typename T, Pages pages = Pages::small>
class MappedVector {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;

    MappedVector() = default;
    MappedVector(const MappedVector& other) { append(other.begin(), other.end()); }
    MappedVector(MappedVector&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
          bytes_(std::exchange(other.bytes_, 0)) {}
    MappedVector& operator=(MappedVector other) noexcept {
        swap(other);
        return *this;
    }
    ~MappedVector() { mapped_storage::release(data_, bytes_); }
    void swap(MappedVector& other) noexcept {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
        std::swap(bytes_, other.bytes_);
    }

    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] std::size_t capacity() const { return bytes_ / sizeof(T); }
    [[nodiscard]] T* data() { return data_; }
    [[nodiscard]] const T* data() const { return data_; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    T& front() { return data_[0]; }
    const T& front() const { return data_[0]; }
    T& back() { return data_[size_ - 1]; }
    const T& back() const { return data_[size_ - 1]; }
    [[nodiscard]] iterator begin() { return data_; }
    [[nodiscard]] iterator end() { return data_ + size_; }
    [[nodiscard]] const_iterator begin() const { return data_; }
    [[nodiscard]] const_iterator end() const { return data_ + size_; }

    void reserve(std::size_t n) {
        if (n <= capacity()) return;
        std::size_t bytes = n * sizeof(T);
        data_ = static_cast<T*>(mapped_storage::grow(data_, bytes_, size_ * sizeof(T), bytes, pages));
        bytes_ = bytes;
    }
    void push_back(const T& value) {
        if (size_ == capacity()) {
            const T copy = value;  // `value` may live in the storage about to move
            reserve(more(size_ + 1));
            data_[size_++] = copy;
        } else {
            data_[size_++] = value;
        }
    }
    /// Grows with copies of `fill`, or shrinks.
    void resize(std::size_t n, const T& fill = T{}) {
        if (n > size_) {
            const T copy = fill;
            if (n > capacity()) reserve(more(n));
            std::fill(data_ + size_, data_ + n, copy);
        }
        size_ = n;
    }
    void pop_back() { --size_; }
    void clear() { size_ = 0; }
    /// Inserts [first, last) (which must not lie in this vector) before `at`.
    template <typename It>
    iterator insert(const_iterator at, It first, It last) {
        const auto offset = static_cast<std::size_t>(at - data_);
        const auto count = static_cast<std::size_t>(std::distance(first, last));
        if (count == 0) return data_ + offset;  // (an empty vector has no storage to move)
        if (size_ + count > capacity()) reserve(more(size_ + count));
        T* p = data_ + offset;
        if (offset < size_) std::memmove(p + count, p, (size_ - offset) * sizeof(T));
        std::copy(first, last, p);
        size_ += count;
        return p;
    }
    iterator erase(const_iterator at) {
        T* p = data_ + (at - data_);
        std::memmove(p, p + 1, (end() - p - 1) * sizeof(T));
        --size_;
        return p;
    }

private:
    T* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t bytes_ = 0;  // of the storage
    // Doubling costs no copies here, and capacity not written to costs no memory.
    [[nodiscard]] std::size_t more(std::size_t least) const { return std::max({least, capacity() * 2, std::size_t{16}}); }
    void append(const T* from, const T* to) {
        reserve(size_ + static_cast<std::size_t>(to - from));
        if (from != to) std::memcpy(data_ + size_, from, static_cast<std::size_t>(to - from) * sizeof(T));
        size_ += static_cast<std::size_t>(to - from);
    }
};

}  // namespace charter::engine
