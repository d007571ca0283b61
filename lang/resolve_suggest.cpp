// "Did you mean": the declared names nearest to an unknown one (§3).
#include "resolve.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace charter::lang {

namespace {

/// Decodes UTF-8 into code points (an invalid byte becomes one code point of its own).
std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (i + static_cast<std::size_t>(len) > s.size()) len = 1;
        char32_t cp = len == 1 ? c : static_cast<char32_t>(c & (0x7F >> len));
        for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
        out.push_back(cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

/// æ ø å written the ASCII way (ae, o, aa), so that `FKO` finds `FKØ`.
std::u32string fold_danish(const std::u32string& s) {
    std::u32string out;
    for (char32_t c : s) {
        switch (c) {
        case U'æ': out += U"ae"; break;
        case U'Æ': out += U"AE"; break;
        case U'ø': out += U"o"; break;
        case U'Ø': out += U"O"; break;
        case U'å': out += U"aa"; break;
        case U'Å': out += U"AA"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

std::size_t edit_distance(const std::u32string& a, const std::u32string& b, std::size_t cap) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > cap) return cap + 1;
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::vector<std::string> suggest(std::string_view name, const std::vector<std::string>& candidates,
                                 const std::vector<std::string>& preferred) {
    constexpr std::size_t max_distance = 2;
    auto target = code_points(name);
    auto target_folded = fold_danish(target);
    std::size_t best = max_distance + 1;
    std::vector<std::string> found;
    for (const auto& candidate : candidates) {
        if (candidate == name) continue;
        auto c = code_points(candidate);
        std::size_t d = std::min(edit_distance(target, c, max_distance),
                                 edit_distance(target_folded, fold_danish(c), max_distance));
        if (d < best) {
            best = d;
            found.clear();
        }
        if (d == best && d <= max_distance) found.push_back(candidate);
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::stable_partition(found.begin(), found.end(), [&](const std::string& s) {
        return std::find(preferred.begin(), preferred.end(), s) != preferred.end();
    });
    return found;
}

std::string did_you_mean(const std::vector<std::string>& suggestions) {
    if (suggestions.empty()) return {};
    std::string list;
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
        if (i > 0) list += i + 1 == suggestions.size() ? " or " : ", ";
        list += fmt::format("`{}`", suggestions[i]);
    }
    return fmt::format("did you mean {}?", list);
}

}  // namespace charter::lang
