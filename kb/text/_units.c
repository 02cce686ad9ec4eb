/* A text's unit string in one pass, and a paragraph's analysis at build time: each function has a
 * Python twin, used when this module is not built or a text is not for it.
 *
 * fold(text, fold) is textnorm.normalize's text for a text whose every character the table folds
 * (None for another). token_words(tokens) reads a text's jieba tokens once for what a build indexes
 * and learns (kb/engines/embedded/writer.py: _counted's counts and growth.default_cut's words).
 * unit_string is kb/text/highlight.py's, and textnorm.fast_units' (a build's unit keys).
 *
 * unit_string(text, fold, inner) takes a text (its traditional characters simplified), the table
 * that normalizes each character of the basic plane to one character (textnorm.fold_table: 0xd800
 * for a character that normalizes otherwise, or to a letter that is neither ASCII nor Chinese) and
 * the inner marks. For a text whose every character the table normalizes (kb.text.textnorm's fast
 * path: letters ASCII or Chinese only, offsets unchanged by normalizing) it returns what
 * highlight._unit_string makes of it from textnorm.unit_runs: the units as one string, a separator
 * before each (0x1e where a break stands before it, else 0x1f) and one at the end; where each
 * run's first unit starts in that string; each run's (start, end, chinese) offsets in the text.
 * For any other text it returns None. A run is a run of Chinese characters (a unit each) or one
 * unit of ASCII letters and digits (a dot inside it only between two digits), as textnorm's
 * _FAST_RUN matches them: every other character is an inner mark (ignored) or a break.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define SEP 0x1f
#define BREAK 0x1e

static int is_cjk(Py_UCS4 c) {  /* textnorm._CJK */
    return c == 0x3007 || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
           (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3ffff);
}

static int is_alnum(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }

static int is_inner(Py_UCS4 c, PyObject *inner) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(inner);
    int kind = PyUnicode_KIND(inner);
    const void *data = PyUnicode_DATA(inner);
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(kind, data, i) == c) return 1;
    return 0;
}

/* Append an int to a list; -1 on error. */
static int append_int(PyObject *list, Py_ssize_t v) {
    PyObject *o = PyLong_FromSsize_t(v);
    if (o == NULL) return -1;
    int r = PyList_Append(list, o);
    Py_DECREF(o);
    return r;
}

/* Append a run's (start, end, chinese) offsets; -1 on error. */
static int append_run(PyObject *offsets, Py_ssize_t b, Py_ssize_t e, int chinese) {
    PyObject *t = Py_BuildValue("(nnO)", b, e, chinese ? Py_True : Py_False);
    if (t == NULL) return -1;
    int r = PyList_Append(offsets, t);
    Py_DECREF(t);
    return r;
}

#define NOT_FOLDED 0xd800

/* The units of norm[0..n) (normalized) as unit_string returns them. */
static PyObject *units_of(const Py_UCS4 *norm, Py_ssize_t n, PyObject *inner) {
    /* at most two characters out per character in, and the last separator */
    Py_UCS4 *out = PyMem_Malloc(sizeof(Py_UCS4) * (2 * (size_t)n + 1));
    PyObject *places = PyList_New(0), *offsets = PyList_New(0);
    if (out == NULL || places == NULL || offsets == NULL) goto fail;
    Py_ssize_t pos = 0, i = 0;
    int gap = 0;
    while (i < n) {
        Py_UCS4 c = norm[i];
        if (is_cjk(c)) {
            Py_ssize_t b = i;
            if (append_int(places, pos + 1) < 0) goto fail;
            for (; i < n && is_cjk(c = norm[i]); i++) {
                out[pos++] = (i == b) ? (gap ? BREAK : SEP) : SEP;
                out[pos++] = c;
            }
            if (append_run(offsets, b, i, 1) < 0) goto fail;
            gap = 0;
        } else if (is_alnum(c)) {
            Py_ssize_t b = i;
            if (append_int(places, pos + 1) < 0) goto fail;
            out[pos++] = gap ? BREAK : SEP;
            for (;;) {
                while (i < n && is_alnum(c = norm[i])) {
                    out[pos++] = c;
                    i++;
                }
                /* a dot after a digit, before a digit: 2.5, 135195.8 */
                if (i + 1 < n && norm[i] == '.' && is_digit(norm[i - 1]) && is_digit(norm[i + 1])) {
                    out[pos++] = '.';
                    i++;
                    continue;
                }
                break;
            }
            if (append_run(offsets, b, i, 0) < 0) goto fail;
            gap = 0;
        } else {
            if (!is_inner(c, inner)) gap = 1;
            i++;
        }
    }
    out[pos++] = SEP;
    PyObject *s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, pos);
    PyMem_Free(out);
    if (s == NULL) {
        Py_DECREF(places);
        Py_DECREF(offsets);
        return NULL;
    }
    return Py_BuildValue("(NNN)", s, places, offsets);
fail:
    PyMem_Free(out);
    Py_XDECREF(places);
    Py_XDECREF(offsets);
    return NULL;
}

/* text normalized by the table (fold: textnorm.fold_table), n characters; NULL with no error set for a
 * character the table does not fold, NULL with an error set when out of memory. Freed by the caller. */
static Py_UCS4 *folded(PyObject *text, PyObject *fold, Py_ssize_t *n) {
    Py_ssize_t nf = PyUnicode_GET_LENGTH(fold);
    int kind = PyUnicode_KIND(text), fkind = PyUnicode_KIND(fold);
    const void *data = PyUnicode_DATA(text), *fdata = PyUnicode_DATA(fold);
    *n = PyUnicode_GET_LENGTH(text);
    Py_UCS4 *norm = PyMem_Malloc(sizeof(Py_UCS4) * ((size_t)*n + 1));
    if (norm == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < *n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_UCS4 f = c < (Py_UCS4)nf ? PyUnicode_READ(fkind, fdata, c) : NOT_FOLDED;
        if (f == NOT_FOLDED) {
            PyMem_Free(norm);
            return NULL;
        }
        norm[i] = f;
    }
    return norm;
}

static PyObject *unit_string(PyObject *self, PyObject *args) {
    PyObject *text, *fold, *inner;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "UUU", &text, &fold, &inner)) return NULL;
    Py_UCS4 *norm = folded(text, fold, &n);
    if (norm == NULL) {
        if (PyErr_Occurred()) return NULL;
        Py_RETURN_NONE;
    }
    PyObject *found = units_of(norm, n, inner);
    PyMem_Free(norm);
    return found;
}

/* fold(text, fold) -> the text normalized by the table, or None (a character it does not fold) */
static PyObject *fold_text(PyObject *self, PyObject *args) {
    PyObject *text, *fold;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "UU", &text, &fold)) return NULL;
    Py_UCS4 *norm = folded(text, fold, &n);
    if (norm == NULL) {
        if (PyErr_Occurred()) return NULL;
        Py_RETURN_NONE;
    }
    PyObject *s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, norm, n);
    PyMem_Free(norm);
    return s;
}

/* Whether a word has a letter or digit (str.isalnum of one of its characters). */
static int wordy(PyObject *w) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(w);
    int kind = PyUnicode_KIND(w);
    const void *data = PyUnicode_DATA(w);
    for (Py_ssize_t i = 0; i < n; i++)
        if (Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, i))) return 1;
    return 0;
}

/* The word of a (word, start, end) token, its start and end; -1 on error. */
static int token_at(PyObject *tokens, Py_ssize_t i, PyObject **w, Py_ssize_t *start, Py_ssize_t *end) {
    PyObject *t = PyList_GET_ITEM(tokens, i);
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) < 3 || !PyUnicode_Check(PyTuple_GET_ITEM(t, 0))) {
        PyErr_SetString(PyExc_TypeError, "tokens must be (word, start, end) tuples");
        return -1;
    }
    *w = PyTuple_GET_ITEM(t, 0);
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 1));
    *end = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, 2));
    return (*start == -1 || *end == -1) && PyErr_Occurred() ? -1 : 0;
}

/* Count a word in counts (a dict, in the order words first stand) when it has a letter or digit. */
static int count_word(PyObject *counts, PyObject *w) {
    PyObject *old = PyDict_GetItemWithError(counts, w);
    if (old == NULL && PyErr_Occurred()) return -1;
    if (old == NULL && !wordy(w)) return 0;
    PyObject *v = PyLong_FromSsize_t(old == NULL ? 1 : PyLong_AsSsize_t(old) + 1);
    if (v == NULL) return -1;
    int r = PyDict_SetItem(counts, w, v);
    Py_DECREF(v);
    return r;
}

/* token_words(tokens) -> (counts, outer): jieba's search-mode tokens of a text, (word, start, end)
 * each, read once: how often each word with a letter or digit stands (a dict in the order the words
 * first stand: writer._counted's Counter) and the tokens no later token contains, in order
 * (growth.default_cut without keep). */
static PyObject *token_words(PyObject *self, PyObject *tokens) {
    if (!PyList_Check(tokens)) {
        PyErr_SetString(PyExc_TypeError, "tokens must be a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(tokens), start, end, lo = PY_SSIZE_T_MAX;
    PyObject *counts = PyDict_New(), *outer = PyList_New(0), *w;
    if (counts == NULL || outer == NULL) goto fail;
    for (Py_ssize_t i = 0; i < n; i++)
        if (token_at(tokens, i, &w, &start, &end) < 0 || count_word(counts, w) < 0) goto fail;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        if (token_at(tokens, i, &w, &start, &end) < 0) goto fail;
        if (end <= lo) {
            lo = start;
            if (PyList_Append(outer, w) < 0) goto fail;
        }
    }
    if (PyList_Reverse(outer) < 0) goto fail;
    return Py_BuildValue("(NN)", counts, outer);
fail:
    Py_XDECREF(counts);
    Py_XDECREF(outer);
    return NULL;
}

static PyMethodDef methods[] = {
    {"unit_string", unit_string, METH_VARARGS,
     "unit_string(text, fold, inner) -> (string, places, offsets) or None: a text's units as one string"},
    {"fold", fold_text, METH_VARARGS, "fold(text, fold) -> the text normalized by the table, or None"},
    {"token_words", token_words, METH_O,
     "token_words(tokens) -> (counts, outer): a text's jieba tokens counted and its outer words"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_units", "A text's unit string in one pass.", -1, methods};

PyMODINIT_FUNC PyInit__units(void) { return PyModule_Create(&module); }
