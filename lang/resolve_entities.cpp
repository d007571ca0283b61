// The table of declared entities (resolve.hpp): by entity index, listed in name order.
#include "resolve.hpp"

#include <algorithm>
#include <stdexcept>

namespace charter::lang {

using engine::Value;
using engine::ValueTag;

bool EntityTable::declare(Value entity, std::string_view kind, Span declared) {
    if (!entity.is_entity() || this->declared(entity)) return false;
    auto kind_index = static_cast<std::uint32_t>(std::find(kinds_.begin(), kinds_.end(), kind) - kinds_.begin());
    if (kind_index == kinds_.size()) kinds_.emplace_back(kind);
    const std::uint32_t index = entity.index();
    if (index >= entries_.size()) entries_.resize(index + 1);
    entries_[index] = {kind_index, declared};
    order_.push_back(index);
    return true;
}

bool EntityTable::erase(Value entity) {
    if (!declared(entity)) return false;
    entries_[entity.index()].kind = npos;
    const auto at = std::find(order_.begin(), order_.end(), entity.index());
    if (static_cast<std::size_t>(at - order_.begin()) < sorted_) --sorted_;
    order_.erase(at);
    return true;
}

void EntityTable::sort(const engine::Symbols& symbols) const {
    if (sorted_ == order_.size()) return;
    auto name = [&](std::uint32_t i) { return symbols.entity_name(Value::make(ValueTag::entity, i)); };
    auto by_name = [&](std::uint32_t a, std::uint32_t b) { return name(a) < name(b); };
    auto middle = order_.begin() + static_cast<std::ptrdiff_t>(sorted_);
    std::sort(middle, order_.end(), by_name);
    std::inplace_merge(order_.begin(), middle, order_.end(), by_name);
    sorted_ = order_.size();
}

EntityTable::View::iterator& EntityTable::View::iterator::operator++() {
    ++position_;
    entry_ = position_ < table_->order_.size() ? table_->order_[position_] : npos;
    return *this;
}

EntityTable::View::iterator EntityTable::View::find(std::string_view name) const {
    const Value entity = symbols_.find_entity(name);
    return table_.declared(entity) ? iterator(&table_, &symbols_, entity.index(), 0) : end();
}

EntityInfo EntityTable::View::at(std::string_view name) const {
    auto found = table_.info(symbols_.find_entity(name));
    if (!found) throw std::out_of_range("EntityTable::View::at: no such entity");
    return *found;
}

EntityTable::View::iterator EntityTable::View::begin() const {
    table_.sort(symbols_);
    return table_.order_.empty() ? end() : iterator(&table_, &symbols_, table_.order_.front(), 0);
}

EntityTable::View::iterator EntityTable::View::lower_bound(std::string_view name) const {
    table_.sort(symbols_);
    const auto& order = table_.order_;
    auto it = std::lower_bound(order.begin(), order.end(), name, [&](std::uint32_t e, std::string_view n) {
        return symbols_.entity_name(Value::make(ValueTag::entity, e)) < n;
    });
    if (it == order.end()) return end();
    return iterator(&table_, &symbols_, *it, static_cast<std::size_t>(it - order.begin()));
}

}  // namespace charter::lang
