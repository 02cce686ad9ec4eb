/* Merge kernels of the postings (kb/kernels.py is their only caller and has a numpy
 * twin of each, used when this module is not built).
 *
 * Every argument is a C-contiguous buffer of a fixed item type (numpy arrays, memory
 * maps included): positions and documents int32, paragraph starts int64. Sorted inputs
 * are walked together with galloping pointers, so that each call costs about the
 * shorter input times the log of the gap, never a binary search over the whole of the
 * longer one per item (what numpy's searchsorted does). Results are written into
 * buffers the caller made; the return value is how many were written. The GIL is
 * released while a kernel runs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* The first index i >= lo with a[i] >= x (n if none): exponential steps from lo, then a
 * binary search inside the last step. */
#define GALLOP(NAME, T, K)                                                       \
    static Py_ssize_t NAME(const T *a, Py_ssize_t n, Py_ssize_t lo, K x) {       \
        Py_ssize_t step = 1, hi = lo;                                            \
        while (hi < n && a[hi] < x) {                                            \
            lo = hi + 1;                                                         \
            hi += step;                                                          \
            step <<= 1;                                                          \
        }                                                                        \
        if (hi > n) hi = n;                                                      \
        while (lo < hi) {                                                        \
            Py_ssize_t mid = lo + ((hi - lo) >> 1);                              \
            if (a[mid] < x) lo = mid + 1; else hi = mid;                         \
        }                                                                        \
        return lo;                                                               \
    }

GALLOP(gallop32, int32_t, int64_t)
GALLOP(gallop64, int64_t, int64_t)

static int get(PyObject *obj, Py_buffer *view, const char *fmt, int writable) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    Py_ssize_t want = fmt[0] == 'i' ? 4 : 8;
    int ok = view->itemsize == want && (fmt[0] == 'i' ? (*f == 'i' || (*f == 'l' && want == sizeof(long)))
                                                      : (*f == 'q' || (*f == 'l' && want == sizeof(long))));
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "kb._merge: expected a buffer of %s, got format %s itemsize %zd",
                     fmt[0] == 'i' ? "int32" : "int64", f, view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

#define N32(v) ((v).len / 4)
#define N64(v) ((v).len / 8)

/* keep(starts, offset, pos, out) -> n: the starts s (ascending) with s + offset in pos
 * (ascending), written to out. */
static PyObject *keep(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c;
    long long off;
    Py_buffer s, p, o;
    if (!PyArg_ParseTuple(args, "OLOO", &a, &off, &b, &c)) return NULL;
    if (get(a, &s, "i", 0) < 0) return NULL;
    if (get(b, &p, "i", 0) < 0) { PyBuffer_Release(&s); return NULL; }
    if (get(c, &o, "i", 1) < 0) { PyBuffer_Release(&s); PyBuffer_Release(&p); return NULL; }
    const int32_t *sv = s.buf, *pv = p.buf;
    int32_t *ov = o.buf;
    Py_ssize_t ns = N32(s), np_ = N32(p), no = N32(o), j = 0, k = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < ns && j < np_ && k < no; i++) {
        int64_t want = (int64_t)sv[i] + off;
        j = gallop32(pv, np_, j, want);
        if (j < np_ && pv[j] == want) ov[k++] = sv[i];
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&s); PyBuffer_Release(&p); PyBuffer_Release(&o);
    return PyLong_FromSsize_t(k);
}

/* docs(pos, starts, out) -> n: the distinct paragraphs (ascending) holding the positions
 * pos (ascending), paragraph d spanning starts[d] <= position < starts[d + 1]. */
static PyObject *docs(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c;
    Py_buffer p, st, o;
    if (!PyArg_ParseTuple(args, "OOO", &a, &b, &c)) return NULL;
    if (get(a, &p, "i", 0) < 0) return NULL;
    if (get(b, &st, "q", 0) < 0) { PyBuffer_Release(&p); return NULL; }
    if (get(c, &o, "i", 1) < 0) { PyBuffer_Release(&p); PyBuffer_Release(&st); return NULL; }
    const int32_t *pv = p.buf;
    const int64_t *sv = st.buf;
    int32_t *ov = o.buf;
    Py_ssize_t np_ = N32(p), ns = N64(st), no = N32(o), d = 0, k = 0, i = 0;
    Py_BEGIN_ALLOW_THREADS
    while (i < np_ && k < no) {
        int64_t x = pv[i];
        if (ns == 0 || x < sv[0]) { i++; continue; }  /* before the first paragraph */
        d = gallop64(sv, ns, d, x + 1) - 1;  /* the last paragraph starting at or before x */
        if (d >= ns - 1) break;  /* past the last paragraph's end */
        ov[k++] = (int32_t)d;
        i = gallop32(pv, np_, i + 1, sv[d + 1]);  /* the next position in a later paragraph */
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&p); PyBuffer_Release(&st); PyBuffer_Release(&o);
    return PyLong_FromSsize_t(k);
}

/* counts(docs, starts, pos, out) -> n: for each paragraph of docs (ascending), how many
 * of pos (ascending) lie in it, written to out[i]. */
static PyObject *counts(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c, *e;
    Py_buffer dv, st, p, o;
    if (!PyArg_ParseTuple(args, "OOOO", &a, &b, &c, &e)) return NULL;
    if (get(a, &dv, "i", 0) < 0) return NULL;
    if (get(b, &st, "q", 0) < 0) { PyBuffer_Release(&dv); return NULL; }
    if (get(c, &p, "i", 0) < 0) { PyBuffer_Release(&dv); PyBuffer_Release(&st); return NULL; }
    if (get(e, &o, "i", 1) < 0) {
        PyBuffer_Release(&dv); PyBuffer_Release(&st); PyBuffer_Release(&p); return NULL;
    }
    const int32_t *d = dv.buf, *pv = p.buf;
    const int64_t *sv = st.buf;
    int32_t *ov = o.buf;
    Py_ssize_t nd = N32(dv), ns = N64(st), np_ = N32(p), no = N32(o), j = 0, i = 0;
    int bad = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; i < nd && i < no; i++) {
        int32_t x = d[i];
        if (x < 0 || x + 1 >= ns) { bad = 1; break; }
        j = gallop32(pv, np_, j, sv[x]);
        Py_ssize_t end = gallop32(pv, np_, j, sv[x + 1]);
        ov[i] = (int32_t)(end - j);
        j = end;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&dv); PyBuffer_Release(&st); PyBuffer_Release(&p); PyBuffer_Release(&o);
    if (bad) { PyErr_SetString(PyExc_IndexError, "kb._merge.counts: a paragraph past the starts"); return NULL; }
    return PyLong_FromSsize_t(i);
}

/* find(keys, sorted, out) -> n: for each of keys (ascending), its index in sorted
 * (ascending, distinct) or -1, written to out. */
static PyObject *find(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c;
    Py_buffer k, s, o;
    if (!PyArg_ParseTuple(args, "OOO", &a, &b, &c)) return NULL;
    if (get(a, &k, "i", 0) < 0) return NULL;
    if (get(b, &s, "i", 0) < 0) { PyBuffer_Release(&k); return NULL; }
    if (get(c, &o, "q", 1) < 0) { PyBuffer_Release(&k); PyBuffer_Release(&s); return NULL; }
    const int32_t *kv = k.buf, *sv = s.buf;
    int64_t *ov = o.buf;
    Py_ssize_t nk = N32(k), ns = N32(s), no = N64(o), j = 0, i = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; i < nk && i < no; i++) {
        j = gallop32(sv, ns, j, kv[i]);
        ov[i] = (j < ns && sv[j] == kv[i]) ? j : -1;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&k); PyBuffer_Release(&s); PyBuffer_Release(&o);
    return PyLong_FromSsize_t(i);
}

/* owners(pos, starts, out) -> n: for each position (ascending), its paragraph: the last
 * d with starts[d] <= position (-1 before the first). */
static PyObject *owners(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c;
    Py_buffer p, st, o;
    if (!PyArg_ParseTuple(args, "OOO", &a, &b, &c)) return NULL;
    if (get(a, &p, "i", 0) < 0) return NULL;
    if (get(b, &st, "q", 0) < 0) { PyBuffer_Release(&p); return NULL; }
    if (get(c, &o, "i", 1) < 0) { PyBuffer_Release(&p); PyBuffer_Release(&st); return NULL; }
    const int32_t *pv = p.buf;
    const int64_t *sv = st.buf;
    int32_t *ov = o.buf;
    Py_ssize_t np_ = N32(p), ns = N64(st), no = N32(o), d = 0, i = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; i < np_ && i < no; i++) {
        d = gallop64(sv, ns, d, (int64_t)pv[i] + 1);  /* the first paragraph starting after it */
        ov[i] = (int32_t)(d - 1);
        if (d > 0) d--;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&p); PyBuffer_Release(&st); PyBuffer_Release(&o);
    return PyLong_FromSsize_t(i);
}

/* close(anchors, docs, pos, window, starts, out) -> n: out[i] = 1 where some position of
 * pos lies within window of anchors[i] and inside its paragraph docs[i] (anchors
 * ascending, docs their paragraphs), else 0. */
static PyObject *close_(PyObject *self, PyObject *args) {
    PyObject *a, *b, *c, *e, *f;
    long long window;
    Py_buffer an, dv, p, st, o;
    if (!PyArg_ParseTuple(args, "OOOLOO", &a, &b, &c, &window, &e, &f)) return NULL;
    if (get(a, &an, "i", 0) < 0) return NULL;
    if (get(b, &dv, "i", 0) < 0) { PyBuffer_Release(&an); return NULL; }
    if (get(c, &p, "i", 0) < 0) { PyBuffer_Release(&an); PyBuffer_Release(&dv); return NULL; }
    if (get(e, &st, "q", 0) < 0) {
        PyBuffer_Release(&an); PyBuffer_Release(&dv); PyBuffer_Release(&p); return NULL;
    }
    if (PyObject_GetBuffer(f, &o, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&an); PyBuffer_Release(&dv); PyBuffer_Release(&p); PyBuffer_Release(&st); return NULL;
    }
    const int32_t *av = an.buf, *d = dv.buf, *pv = p.buf;
    const int64_t *sv = st.buf;
    uint8_t *ov = o.buf;
    Py_ssize_t na = N32(an), nd = N32(dv), np_ = N32(p), ns = N64(st), no = o.len, j = 0, i = 0;
    int bad = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; i < na && i < nd && i < no; i++) {
        int32_t x = d[i];
        if (x < 0 || x + 1 >= ns) { bad = 1; break; }
        int64_t lo = (int64_t)av[i] - window, hi = (int64_t)av[i] + window;
        if (lo < sv[x]) lo = sv[x];
        if (hi > sv[x + 1] - 1) hi = sv[x + 1] - 1;
        j = gallop32(pv, np_, j, lo);
        ov[i] = j < np_ && pv[j] <= hi;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&an); PyBuffer_Release(&dv); PyBuffer_Release(&p); PyBuffer_Release(&st); PyBuffer_Release(&o);
    if (bad) { PyErr_SetString(PyExc_IndexError, "kb._merge.close: a paragraph past the starts"); return NULL; }
    return PyLong_FromSsize_t(i);
}

static PyMethodDef methods[] = {
    {"keep", keep, METH_VARARGS, "keep(starts, offset, pos, out) -> n: starts s with s + offset in pos"},
    {"docs", docs, METH_VARARGS, "docs(pos, starts, out) -> n: the distinct paragraphs of positions"},
    {"counts", counts, METH_VARARGS, "counts(docs, starts, pos, out) -> n: positions per paragraph"},
    {"owners", owners, METH_VARARGS, "owners(pos, starts, out) -> n: the paragraph of each position"},
    {"close", close_, METH_VARARGS, "close(anchors, docs, pos, window, starts, out) -> n: 1 where pos is near"},
    {"find", find, METH_VARARGS, "find(keys, sorted, out) -> n: each key's index in sorted, or -1"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_merge", "Merge kernels of kb.postings.", -1, methods};

PyMODINIT_FUNC PyInit__merge(void) { return PyModule_Create(&module); }
