// A cache prefetch that the compiler keeps.
#pragma once

namespace charter::engine {

/// Asks for the cache line at `p` to be brought into the caches, for a read some steps later.
/// Not a bare __builtin_prefetch: GCC counts that builtin as having no effect, so it finds an
/// inline function whose only work is a prefetch `const` (-fipa-pure-const) and deletes every
/// call to it. Until session 13 the loader's read-ahead (NameIndex::prefetch,
/// Symbols::prefetch_entity_name) compiled to no prefetch at all. The empty volatile asm is an
/// effect the compiler must keep, and with it the prefetch; it costs no instruction.
inline void prefetch(const void* p) {
    __builtin_prefetch(p);
    asm volatile("" : : "r"(p));
}

}  // namespace charter::engine
