// libedit behind the LineReader seam. Keys are read here (rl_getc_function), not by libedit:
// libedit retries a read that a signal interrupts, so Ctrl-C would do nothing until the next
// key; our reader ends the line instead and the shell drops it. It also decodes UTF-8, since
// libedit takes what the function returns as one character.
#include "repl/line_editor.hpp"

#include <editline/readline.h> // libedit, not GNU readline (TOOLCHAIN.md G5)

#include <atomic>
#include <cerrno>
#include <clocale>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <langinfo.h>
#include <ostream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace charter::repl {
namespace {

volatile std::sig_atomic_t interrupted = 0;
std::atomic<Session*> interrupt_target{nullptr};
// The handler also writes a byte here, so that a Ctrl-C that comes just before the key reader
// waits still wakes it (the self-pipe trick).
int interrupt_pipe[2] = {-1, -1};

extern "C" void on_interrupt(int) {
    const int saved = errno;
    interrupted = 1;
    if (interrupt_pipe[1] >= 0) {
        const char byte = 'C';
        [[maybe_unused]] auto n = ::write(interrupt_pipe[1], &byte, 1);
    }
    if (Session* session = interrupt_target.load())
        session->cancel(); // an atomic store: safe in a signal handler
    errno = saved;
}

void drain_interrupt_pipe() {
    char bytes[64];
    while (interrupt_pipe[0] >= 0 && ::read(interrupt_pipe[0], bytes, sizeof bytes) > 0) {
    }
}

constexpr int history_size = 1000; // entries kept across runs

// libedit calls back into plain functions; the one editor lives here meanwhile.
const LineEditor* current = nullptr;
std::vector<std::string> pending_matches;

// One byte from standard input; -1 at the end of input; -2 when Ctrl-C interrupted the wait.
int read_byte() {
    for (;;) {
        if (interrupted)
            return -2;
        pollfd wait[2] = {{STDIN_FILENO, POLLIN, 0}, {interrupt_pipe[0], POLLIN, 0}};
        if (::poll(wait, interrupt_pipe[0] >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if ((wait[1].revents & POLLIN) != 0)
            drain_interrupt_pipe();
        if (wait[0].revents == 0)
            continue;
        unsigned char c = 0;
        const ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n == 1)
            return c;
        if (n == 0 || errno != EINTR)
            return -1;
    }
}

// A key as a code point, decoded from UTF-8. On Ctrl-C: a newline, which ends the line being
// edited (the shell then drops it, see LineEditor::read).
int read_key(FILE* /*stream*/) {
    int c = read_byte();
    if (c == -2) {
        static const char shown[] = "^C";
        [[maybe_unused]] auto n = ::write(STDOUT_FILENO, shown, sizeof shown - 1);
        return '\n';
    }
    if (c < 0x80)
        return c; // ASCII or the end of input
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    int cp = c & (0x3F >> more);
    for (; more > 0; --more) {
        const int next = read_byte();
        if (next == -2)
            return '\n';
        if (next < 0)
            return -1;
        if ((next & 0xC0) != 0x80)
            return 0xFFFD; // invalid UTF-8: the replacement character
        cp = (cp << 6) | (next & 0x3F);
    }
    return cp;
}

// The first `characters` code points of a UTF-8 line (libedit gives positions in characters).
std::string first_characters(const char* line, int characters) {
    std::string out;
    if (line == nullptr)
        return out;
    for (int seen = 0; *line != '\0'; ++line) {
        const auto c = static_cast<unsigned char>(*line);
        if ((c & 0xC0) != 0x80 && seen++ == characters)
            break;
        out += *line;
    }
    return out;
}

char* next_match(const char* /*text*/, int state) {
    static std::size_t index = 0;
    if (state == 0)
        index = 0;
    if (index >= pending_matches.size())
        return nullptr;
    return ::strdup(pending_matches[index++].c_str());
}

char** attempt_completion(const char* text, int start, int /*end*/) {
    rl_attempted_completion_over = 1; // no file names unless asked for
    if (current == nullptr)
        return nullptr;
    const std::string before = first_characters(rl_line_buffer, start);
    Completions c = current->complete(before, text == nullptr ? "" : text);
    if (c.files) {
        rl_attempted_completion_over = 0;
        return nullptr;
    }
    if (c.matches.empty())
        return nullptr;
    rl_completion_append_character = c.append;
    pending_matches = std::move(c.matches);
    return rl_completion_matches(text, next_match);
}

} // namespace

std::filesystem::path history_path() {
    namespace fs = std::filesystem;
    if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state == '/')
        return fs::path(state) / "charter" / "history";
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
        return fs::path(home) / ".local" / "state" / "charter" / "history";
    return {};
}

void install_interrupt_handler() {
    if (interrupt_pipe[0] < 0 && ::pipe2(interrupt_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        interrupt_pipe[0] = interrupt_pipe[1] = -1; // then a Ctrl-C can wait for the next key
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: a read in progress returns EINTR
    sigaction(SIGINT, &action, nullptr);
}

void set_interrupt_target(Session* session) { interrupt_target.store(session); }

void use_utf8_locale() {
    std::setlocale(LC_CTYPE, "");
    const char* codeset = nl_langinfo(CODESET);
    if (codeset == nullptr ||
        (std::strcmp(codeset, "UTF-8") != 0 && std::strcmp(codeset, "utf8") != 0))
        std::setlocale(LC_CTYPE, "C.UTF-8");
}

LineEditor::LineEditor(Completer completer, std::filesystem::path history, bool colour_prompt,
                       std::ostream& warnings)
    : completer_(std::move(completer)), history_(std::move(history)), colour_prompt_(colour_prompt),
      warnings_(warnings) {
    current = this;
    rl_readline_name = "charter";
    rl_catch_signals = 0; // our handler, not libedit's (which re-sends the signal)
    rl_getc_function = read_key;
    rl_attempted_completion_function = attempt_completion;
    // Words end at white space and at Charter's punctuation; `.` (dotted names), `:` (commands),
    // `?` (variables) and `` ` `` (quoted names) belong to the word.
    rl_basic_word_break_characters = " \t\n\"(),;=<>!+*{}[]|&";
    using_history();
    stifle_history(history_size);
    if (!history_.empty())
        read_history(history_.c_str()); // none yet is fine
    if (history_length > 0)
        if (HIST_ENTRY* last = history_get(history_base + history_length - 1); last != nullptr)
            last_entry_ = last->line;
}

LineEditor::~LineEditor() {
    if (current == this)
        current = nullptr;
}

std::optional<std::string> LineEditor::read(std::string_view prompt) {
    interrupted = 0;
    drain_interrupt_pipe();
    interrupted_ = false;
    std::string shown(prompt);
    if (colour_prompt_) {
        // RL_PROMPT_START_IGNORE brackets what takes no room on the screen.
        const std::string_view text = prompt.substr(0, prompt.find_last_not_of(' ') + 1);
        const std::string_view padding = prompt.substr(text.size());
        shown = "\1\x1b[1;34m\1" + std::string(text) + "\1\x1b[0m\1" + std::string(padding);
    }
    char* line = readline(shown.c_str());
    if (interrupted) {
        interrupted_ = true;
        std::free(line);
        return std::nullopt;
    }
    if (line == nullptr)
        return std::nullopt;
    std::string text(line);
    std::free(line);
    return text;
}

bool LineEditor::take_interrupt() {
    const bool was = interrupted_;
    interrupted_ = false;
    return was;
}

void LineEditor::remember(std::string_view entry) {
    if (entry.empty() || entry == last_entry_)
        return;
    last_entry_ = std::string(entry);
    add_history(last_entry_.c_str());
    save_history();
}

Completions LineEditor::complete(std::string_view before, std::string_view word) const {
    return completer_ ? completer_(before, word) : Completions{};
}

// Atomically, so that a crash or a second shell never leaves half a file: written beside the
// history, then renamed over it.
void LineEditor::save_history() {
    if (history_.empty())
        return;
    namespace fs = std::filesystem;
    std::error_code error;
    fs::create_directories(history_.parent_path(), error);
    std::string problem;
    const std::string temporary = history_.string() + ".tmp" + std::to_string(::getpid());
    if (error) {
        problem = error.message();
    } else if (const int code = write_history(temporary.c_str()); code != 0) {
        problem = std::strerror(code);
    } else {
        if (const int fd = ::open(temporary.c_str(), O_RDONLY); fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
        if (::rename(temporary.c_str(), history_.c_str()) != 0)
            problem = std::strerror(errno);
    }
    if (problem.empty())
        return;
    ::unlink(temporary.c_str());
    if (!warned_)
        warnings_ << "warning: cannot save the history in " << history_.string() << ": " << problem
                  << "\n";
    warned_ = true;
}

} // namespace charter::repl
