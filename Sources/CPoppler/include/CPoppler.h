// CPoppler: the only place that includes poppler's headers.
//
// A plain C interface over poppler's C++ API (libpoppler-cpp) for one job:
// the words of each page of a PDF with their boxes, which
// PDFText turns back into lines, paragraphs, headings and table rows. Like
// CXapian, no C++ exception crosses into Swift (every body is wrapped) and
// no Swift target needs C++ interoperability.
//
// Conventions
// - Coordinates are PDF points with the origin at the page's top left and y
//   growing downwards (poppler's text boxes).
// - Memory returned by cp_* functions is owned by the caller and released
//   with the matching cp_*_free function; what an accessor returns borrows
//   from its owner.
// - Threads: a cp_document is used by one thread at a time; different
//   documents may be read on different threads.
#ifndef CPOPPLER_H
#define CPOPPLER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Stable error codes; `cp_error.code`. New codes are only ever appended.
typedef enum {
    CP_OK = 0,
    CP_ERROR_UNREADABLE = 1,     // poppler could not load the file (not a PDF, or damaged beyond repair)
    CP_ERROR_LOCKED = 2,         // encrypted with a password that was not given
    CP_ERROR_PAGE = 3,           // a page could not be read
    CP_ERROR_OUT_OF_MEMORY = 4,
    CP_ERROR_UNKNOWN = 5
} cp_error_code;

/// Filled in by a failing call. `message` is NUL-terminated and holds
/// poppler's own complaints (the last few), when it made any.
typedef struct {
    int code;
    char message[512];
} cp_error;

/// The poppler version the shim is linked against, e.g. "22.12.0".
const char *cp_poppler_version(void);

typedef struct cp_document cp_document;

/// Opens the PDF at `path` (no password). NULL and `error` on failure;
/// an encrypted document that needs a password is CP_ERROR_LOCKED.
cp_document *cp_document_open(const char *path, cp_error *error);
/// Opens a PDF held in memory: `bytes` must stay valid and unchanged until
/// the document is freed (poppler reads from them as it goes).
cp_document *cp_document_open_data(const char *bytes, size_t length, cp_error *error);
void cp_document_free(cp_document *document);
int cp_document_page_count(const cp_document *document);
/// How many complaints poppler made while loading and reading this
/// document so far (syntax errors it repaired, missing objects): a damaged
/// file that still opened has some.
int cp_document_problem_count(const cp_document *document);
/// The last complaint, "" when there is none. Borrowed.
const char *cp_document_last_problem(const cp_document *document);

/// One word (poppler's text box: a run of text without a gap, which for
/// CJK text is often a whole line).
typedef struct {
    /// Offset and length of the word's UTF-8 text in the page's text buffer.
    size_t text_offset;
    size_t text_length;
    double x0, y0, x1, y1;
    /// Whether poppler saw a space after the word on its line.
    int space_after;
    /// 0 for horizontal text; 1, 2, 3 for text turned by 90°, 180°, 270°
    /// (a label up the margin, a stamp).
    int rotation;
} cp_word;

typedef struct cp_page cp_page;

/// The words of page `index` (0-based) in poppler's reading order. Their
/// boxes' heights come from the font's size, ascent and descent.
cp_page *cp_document_page(cp_document *document, int index, cp_error *error);
void cp_page_free(cp_page *page);
double cp_page_width(const cp_page *page);
double cp_page_height(const cp_page *page);
/// The page label the PDF defines (its /PageLabels), "" when it defines none
/// (poppler then gives the physical number, which this returns as ""). Borrowed.
const char *cp_page_label(const cp_page *page);
size_t cp_page_word_count(const cp_page *page);
/// Borrowed; `count` words.
const cp_word *cp_page_words(const cp_page *page);
/// The UTF-8 text all words point into. Borrowed.
const char *cp_page_text(const cp_page *page, size_t *length);

#ifdef __cplusplus
}
#endif

#endif
