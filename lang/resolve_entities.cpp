// The table of declared entities (resolve.hpp): hashed by name, listed in name order.
#include "resolve.hpp"

#include <algorithm>
#include <stdexcept>

namespace charter::lang {

EntityTable::iterator& EntityTable::iterator::operator++() {
    ++position_;
    entry_ = position_ < table_->order_.size() ? table_->order_[position_] : npos;
    return *this;
}

std::uint32_t EntityTable::index_of(std::string_view name) const {
    catch_up();
    return index_.find_by(name, [&](std::uint32_t i) -> std::string_view { return entries_[i].name; });
}

std::pair<EntityTable::iterator, bool> EntityTable::emplace(std::string_view name, std::string_view kind, Span declared) {
    if (auto found = index_of(name); found != npos) return {iterator(this, found, 0), false};
    emplace_new(name, kind, declared);
    return {iterator(this, static_cast<std::uint32_t>(entries_.size() - 1), 0), true};
}

void EntityTable::emplace_new(std::string_view name, std::string_view kind, Span declared) {
    auto kind_index = static_cast<std::uint32_t>(std::find(kinds_.begin(), kinds_.end(), kind) - kinds_.begin());
    if (kind_index == kinds_.size()) kinds_.emplace_back(kind);
    auto entry = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back({std::string(name), kind_index, declared});
    order_.push_back(entry);
}

void EntityTable::catch_up() const {
    if (indexed_ == entries_.size()) return;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pending;
    pending.reserve(entries_.size() - indexed_);
    for (std::size_t entry = indexed_; entry < entries_.size(); ++entry)
        pending.emplace_back(engine::NameIndex::hash(entries_[entry].name), static_cast<std::uint32_t>(entry));
    index_.insert_many(std::move(pending));
    indexed_ = entries_.size();
}

EntityTable::iterator EntityTable::find(std::string_view name) const {
    auto found = index_of(name);
    return found == npos ? end() : iterator(this, found, 0);
}

EntityInfo EntityTable::at(std::string_view name) const {
    auto found = index_of(name);
    if (found == npos) throw std::out_of_range("EntityTable::at: no such entity");
    return at_index(found).second;
}

std::size_t EntityTable::erase(std::string_view name) {
    auto found = index_of(name);
    if (found == npos) return 0;
    sort();
    index_.erase(name, found);
    entries_[found].kind = npos;
    order_.erase(std::find(order_.begin(), order_.end(), found));
    sorted_ = order_.size();
    return 1;
}

void EntityTable::sort() const {
    if (sorted_ == order_.size()) return;
    auto by_name = [&](std::uint32_t a, std::uint32_t b) { return entries_[a].name < entries_[b].name; };
    auto middle = order_.begin() + static_cast<std::ptrdiff_t>(sorted_);
    std::sort(middle, order_.end(), by_name);
    std::inplace_merge(order_.begin(), middle, order_.end(), by_name);
    sorted_ = order_.size();
}

EntityTable::iterator EntityTable::begin() const {
    sort();
    return order_.empty() ? end() : iterator(this, order_.front(), 0);
}

EntityTable::iterator EntityTable::lower_bound(std::string_view name) const {
    sort();
    auto it = std::lower_bound(order_.begin(), order_.end(), name,
                               [&](std::uint32_t e, std::string_view n) { return entries_[e].name < n; });
    if (it == order_.end()) return end();
    return iterator(this, *it, static_cast<std::size_t>(it - order_.begin()));
}

}  // namespace charter::lang
