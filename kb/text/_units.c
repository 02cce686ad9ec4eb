/* A text's unit string in one pass (kb/text/highlight.py is its only caller and has a Python
 * twin, used when this module is not built).
 *
 * unit_string(norm, inner) takes a normalized text on kb.text.textnorm's fast path (letters ASCII
 * or Chinese only, offsets unchanged by normalizing) and the inner marks, and returns what
 * highlight._unit_string makes of it from textnorm.unit_runs: the units as one string, a
 * separator before each (0x1e where a break stands before it, else 0x1f) and one at the end; where
 * each run's first unit starts in that string; each run's (start, end, chinese) offsets in the
 * text. A run is a run of Chinese characters (a unit each) or one unit of ASCII letters and digits
 * (a dot inside it only between two digits), as textnorm's _FAST_RUN matches them: every other
 * character is an inner mark (ignored) or a break.
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

static PyObject *unit_string(PyObject *self, PyObject *args) {
    PyObject *norm, *inner;
    if (!PyArg_ParseTuple(args, "UU", &norm, &inner)) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(norm);
    int kind = PyUnicode_KIND(norm);
    const void *data = PyUnicode_DATA(norm);
    /* at most two characters out per character in, and the last separator */
    Py_UCS4 *out = PyMem_Malloc(sizeof(Py_UCS4) * (2 * (size_t)n + 1));
    PyObject *places = PyList_New(0), *offsets = PyList_New(0);
    if (out == NULL || places == NULL || offsets == NULL) goto fail;
    Py_ssize_t pos = 0, i = 0;
    int gap = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_cjk(c)) {
            Py_ssize_t b = i;
            if (append_int(places, pos + 1) < 0) goto fail;
            for (; i < n && is_cjk(c = PyUnicode_READ(kind, data, i)); i++) {
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
                while (i < n && is_alnum(c = PyUnicode_READ(kind, data, i))) {
                    out[pos++] = c;
                    i++;
                }
                /* a dot after a digit, before a digit: 2.5, 135195.8 */
                if (i + 1 < n && PyUnicode_READ(kind, data, i) == '.' && is_digit(PyUnicode_READ(kind, data, i - 1)) &&
                    is_digit(PyUnicode_READ(kind, data, i + 1))) {
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

static PyMethodDef methods[] = {
    {"unit_string", unit_string, METH_VARARGS,
     "unit_string(norm, inner) -> (string, places, offsets): a fast-path text's units as one string"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_units", "A text's unit string in one pass.", -1, methods};

PyMODINIT_FUNC PyInit__units(void) { return PyModule_Create(&module); }
