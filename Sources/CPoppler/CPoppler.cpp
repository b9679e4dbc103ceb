// The C interface of include/CPoppler.h over poppler-cpp.
#include "CPoppler.h"

#include <poppler-document.h>
#include <poppler-page.h>
#include <poppler-version.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace {

/// poppler reports syntax problems through one process-wide callback. It is
/// installed once; each thread collects what is said while it reads, so a
/// document's problems are the ones said on the thread that read it
/// (documents are read on one thread at a time).
struct Problems {
    int count = 0;
    std::string last;
};
thread_local Problems *current_problems = nullptr;

void collect(const std::string &message, void *) {
    if (current_problems) {
        current_problems->count += 1;
        current_problems->last = message;
    }
}

void install_error_function() {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(collect, nullptr); });
}

/// Routes poppler's complaints to `problems` while in scope.
struct Listening {
    Problems *previous;
    explicit Listening(Problems &problems) : previous(current_problems) {
        install_error_function();
        current_problems = &problems;
    }
    ~Listening() { current_problems = previous; }
};

void fail(cp_error *error, int code, const std::string &message) {
    if (!error) return;
    error->code = code;
    std::snprintf(error->message, sizeof error->message, "%s", message.c_str());
}

template <typename Body>
auto guarded(cp_error *error, Body body) -> decltype(body()) {
    if (error) {
        error->code = CP_OK;
        error->message[0] = 0;
    }
    try {
        return body();
    } catch (const std::bad_alloc &) {
        fail(error, CP_ERROR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception &e) {
        fail(error, CP_ERROR_UNKNOWN, e.what());
    } catch (...) {
        fail(error, CP_ERROR_UNKNOWN, "unknown C++ exception");
    }
    return decltype(body())();
}

std::string utf8(const poppler::ustring &text) {
    auto bytes = text.to_utf8();
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace

struct cp_document {
    std::unique_ptr<poppler::document> document;
    Problems problems;
};

struct cp_page {
    double width = 0, height = 0;
    std::string label;
    std::string text;
    std::vector<cp_word> words;
};

extern "C" {

const char *cp_poppler_version(void) {
    static const std::string version = poppler::version_string();
    return version.c_str();
}

namespace {

cp_document *opened(std::unique_ptr<cp_document> handle, cp_error *error) {
    if (!handle->document) {
        std::string message = "poppler cannot load it";
        if (!handle->problems.last.empty()) message += ": " + handle->problems.last;
        fail(error, CP_ERROR_UNREADABLE, message);
        return nullptr;
    }
    if (handle->document->is_locked()) {
        fail(error, CP_ERROR_LOCKED, "it is encrypted and needs a password to open");
        return nullptr;
    }
    return handle.release();
}

}  // namespace

cp_document *cp_document_open(const char *path, cp_error *error) {
    return guarded(error, [&]() -> cp_document * {
        auto handle = std::make_unique<cp_document>();
        Listening listening(handle->problems);
        handle->document.reset(poppler::document::load_from_file(path));
        return opened(std::move(handle), error);
    });
}

cp_document *cp_document_open_data(const char *bytes, size_t length, cp_error *error) {
    return guarded(error, [&]() -> cp_document * {
        auto handle = std::make_unique<cp_document>();
        if (length > size_t(INT32_MAX)) {
            fail(error, CP_ERROR_UNREADABLE, "it is larger than 2 GB");
            return nullptr;
        }
        Listening listening(handle->problems);
        handle->document.reset(poppler::document::load_from_raw_data(bytes, int(length)));
        return opened(std::move(handle), error);
    });
}

void cp_document_free(cp_document *document) { delete document; }

int cp_document_page_count(const cp_document *document) { return document->document->pages(); }

int cp_document_problem_count(const cp_document *document) { return document->problems.count; }

const char *cp_document_last_problem(const cp_document *document) { return document->problems.last.c_str(); }

cp_page *cp_document_page(cp_document *document, int index, cp_error *error) {
    return guarded(error, [&]() -> cp_page * {
        Listening listening(document->problems);
        std::unique_ptr<poppler::page> page(document->document->create_page(index));
        if (!page) {
            std::string message = "page " + std::to_string(index + 1) + " cannot be read";
            if (!document->problems.last.empty()) message += ": " + document->problems.last;
            fail(error, CP_ERROR_PAGE, message);
            return nullptr;
        }
        auto result = std::make_unique<cp_page>();
        auto rect = page->page_rect();
        result->width = rect.width();
        result->height = rect.height();
        std::string label = utf8(page->label());
        // poppler answers the physical number when the PDF has no labels.
        if (label != std::to_string(index + 1)) result->label = label;
        // Without text_list_include_font: it makes text_list 2.5 times
        // slower, and the box heights serve as sizes (PDFWord.size).
        auto boxes = page->text_list();
        result->words.reserve(boxes.size());
        for (auto &box : boxes) {
            std::string text = utf8(box.text());
            if (text.empty()) continue;
            auto bbox = box.bbox();
            cp_word word;
            word.text_offset = result->text.size();
            word.text_length = text.size();
            word.x0 = bbox.left();
            word.y0 = bbox.top();
            word.x1 = bbox.right();
            word.y1 = bbox.bottom();
            word.space_after = box.has_space_after() ? 1 : 0;
            word.rotation = box.rotation();
            result->text += text;
            result->words.push_back(word);
        }
        return result.release();
    });
}

void cp_page_free(cp_page *page) { delete page; }
double cp_page_width(const cp_page *page) { return page->width; }
double cp_page_height(const cp_page *page) { return page->height; }
const char *cp_page_label(const cp_page *page) { return page->label.c_str(); }
size_t cp_page_word_count(const cp_page *page) { return page->words.size(); }
const cp_word *cp_page_words(const cp_page *page) { return page->words.data(); }
const char *cp_page_text(const cp_page *page, size_t *length) {
    if (length) *length = page->text.size();
    return page->text.data();
}

}  // extern "C"
