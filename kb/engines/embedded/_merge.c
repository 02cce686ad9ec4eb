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
    int ok;
    switch (fmt[0]) {
    case 'i': ok = view->itemsize == 4 && (*f == 'i' || (*f == 'l' && sizeof(long) == 4)); break;
    case 'q': ok = view->itemsize == 8 && (*f == 'q' || (*f == 'l' && sizeof(long) == 8)); break;
    case 'd': ok = view->itemsize == 8 && *f == 'd'; break;
    case 'H': ok = view->itemsize == 2 && *f == 'H'; break;
    case '?': ok = view->itemsize == 1 && *f == '?'; break;
    case 'B': ok = view->itemsize == 1 && *f == 'B'; break;
    default: ok = 0;
    }
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "kb._merge: expected a buffer of %s, got format %s itemsize %zd",
                     fmt[0] == 'i' ? "int32" : fmt[0] == 'q' ? "int64" : fmt[0] == 'H' ? "uint16" : fmt[0] == '?' ? "bool" : fmt[0] == 'B' ? "uint8" : "float64", f,
                     view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* get() of n buffers, all released if one fails */
static int get_all(int n, PyObject **objs, Py_buffer *views, const char *fmts, const char *writable) {
    for (int i = 0; i < n; i++) {
        if (get(objs[i], &views[i], &fmts[i], writable[i] == 'w') < 0) {
            for (int j = 0; j < i; j++) PyBuffer_Release(&views[j]);
            return -1;
        }
    }
    return 0;
}

static void release_all(int n, Py_buffer *views) {
    for (int i = 0; i < n; i++) PyBuffer_Release(&views[i]);
}

#define N32(v) ((v).len / 4)
#define N64(v) ((v).len / 8)

/* keep(starts, offset, pos, out) -> n: the starts s (ascending) with s + offset in pos
 * (ascending), written to out. */
static PyObject *keep(PyObject *self, PyObject *args) {
    PyObject *o[3];
    long long off;
    Py_buffer v[3];
    if (!PyArg_ParseTuple(args, "OLOO", &o[0], &off, &o[1], &o[2])) return NULL;
    if (get_all(3, o, v, "iii", "rrw") < 0) return NULL;
    const int32_t *sv = v[0].buf, *pv = v[1].buf;
    int32_t *ov = v[2].buf;
    Py_ssize_t ns = N32(v[0]), np_ = N32(v[1]), no = N32(v[2]), j = 0, k = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < ns && j < np_ && k < no; i++) {
        int64_t want = (int64_t)sv[i] + off;
        j = gallop32(pv, np_, j, want);
        if (j < np_ && pv[j] == want) ov[k++] = sv[i];
    }
    Py_END_ALLOW_THREADS
    release_all(3, v);
    return PyLong_FromSsize_t(k);
}

/* docs(pos, starts, out) -> n: the distinct paragraphs (ascending) holding the positions
 * pos (ascending), paragraph d spanning starts[d] <= position < starts[d + 1]. */
static PyObject *docs(PyObject *self, PyObject *args) {
    PyObject *o[3];
    Py_buffer v[3];
    if (!PyArg_ParseTuple(args, "OOO", &o[0], &o[1], &o[2])) return NULL;
    if (get_all(3, o, v, "iqi", "rrw") < 0) return NULL;
    const int32_t *pv = v[0].buf;
    const int64_t *sv = v[1].buf;
    int32_t *ov = v[2].buf;
    Py_ssize_t np_ = N32(v[0]), ns = N64(v[1]), no = N32(v[2]), d = 0, k = 0, i = 0;
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
    release_all(3, v);
    return PyLong_FromSsize_t(k);
}

/* counts(docs, starts, pos, out) -> n: for each paragraph of docs (ascending), how many
 * of pos (ascending) lie in it, written to out[i]. */
static PyObject *counts(PyObject *self, PyObject *args) {
    PyObject *o[4];
    Py_buffer v[4];
    if (!PyArg_ParseTuple(args, "OOOO", &o[0], &o[1], &o[2], &o[3])) return NULL;
    if (get_all(4, o, v, "iqii", "rrrw") < 0) return NULL;
    const int32_t *d = v[0].buf, *pv = v[2].buf;
    const int64_t *sv = v[1].buf;
    int32_t *ov = v[3].buf;
    Py_ssize_t nd = N32(v[0]), ns = N64(v[1]), np_ = N32(v[2]), no = N32(v[3]), j = 0, i = 0;
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
    release_all(4, v);
    if (bad) { PyErr_SetString(PyExc_IndexError, "kb._merge.counts: a paragraph past the starts"); return NULL; }
    return PyLong_FromSsize_t(i);
}

/* owners(pos, starts, out) -> n: for each position (ascending), its paragraph: the last
 * d with starts[d] <= position (-1 before the first). */
static PyObject *owners(PyObject *self, PyObject *args) {
    PyObject *o[3];
    Py_buffer v[3];
    if (!PyArg_ParseTuple(args, "OOO", &o[0], &o[1], &o[2])) return NULL;
    if (get_all(3, o, v, "iqi", "rrw") < 0) return NULL;
    const int32_t *pv = v[0].buf;
    const int64_t *sv = v[1].buf;
    int32_t *ov = v[2].buf;
    Py_ssize_t np_ = N32(v[0]), ns = N64(v[1]), no = N32(v[2]), d = 0, i = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; i < np_ && i < no; i++) {
        d = gallop64(sv, ns, d, (int64_t)pv[i] + 1);  /* the first paragraph starting after it */
        ov[i] = (int32_t)(d - 1);
        if (d > 0) d--;
    }
    Py_END_ALLOW_THREADS
    release_all(3, v);
    return PyLong_FromSsize_t(i);
}

/* close(anchors, docs, pos, window, starts, out) -> n: out[i] = 1 where some position of
 * pos lies within window of anchors[i] and inside its paragraph docs[i] (anchors
 * ascending, docs their paragraphs), else 0. */
static PyObject *close_(PyObject *self, PyObject *args) {
    PyObject *o[5];
    long long window;
    Py_buffer v[5];
    if (!PyArg_ParseTuple(args, "OOOLOO", &o[0], &o[1], &o[2], &window, &o[3], &o[4])) return NULL;
    if (get_all(5, o, v, "iiiq?", "rrrrw") < 0) return NULL;
    const int32_t *av = v[0].buf, *d = v[1].buf, *pv = v[2].buf;
    const int64_t *sv = v[3].buf;
    uint8_t *ov = v[4].buf;
    Py_ssize_t na = N32(v[0]), nd = N32(v[1]), np_ = N32(v[2]), ns = N64(v[3]), no = v[4].len, j = 0, i = 0;
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
    release_all(5, v);
    if (bad) { PyErr_SetString(PyExc_IndexError, "kb._merge.close: a paragraph past the starts"); return NULL; }
    return PyLong_FromSsize_t(i);
}

/* unite(a, as, b, bs, out, outs) -> n: the documents of a or b (each ascending,
 * distinct; int64) with their scores (float64) summed, a's first, merged in order. */
static PyObject *unite(PyObject *self, PyObject *args) {
    PyObject *o[6];
    Py_buffer v[6];
    if (!PyArg_ParseTuple(args, "OOOOOO", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5])) return NULL;
    if (get_all(6, o, v, "qdqdqd", "rrrrww") < 0) return NULL;
    const int64_t *a = v[0].buf, *b = v[2].buf;
    const double *as = v[1].buf, *bs = v[3].buf;
    int64_t *out = v[4].buf;
    double *outs = v[5].buf;
    Py_ssize_t na = N64(v[0]), nb = N64(v[2]), no = N64(v[4]), i = 0, j = 0, k = 0;
    if (N64(v[1]) < na || N64(v[3]) < nb || N64(v[5]) < no || no < na + nb) {
        release_all(6, v);
        PyErr_SetString(PyExc_ValueError, "kb._merge.unite: buffers of the wrong lengths");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    while (i < na && j < nb) {
        if (a[i] < b[j]) { out[k] = a[i]; outs[k++] = as[i++]; }
        else if (b[j] < a[i]) { out[k] = b[j]; outs[k++] = bs[j++]; }
        else { out[k] = a[i]; outs[k++] = as[i++] + bs[j++]; }
    }
    while (i < na) { out[k] = a[i]; outs[k++] = as[i++]; }
    while (j < nb) { out[k] = b[j]; outs[k++] = bs[j++]; }
    Py_END_ALLOW_THREADS
    release_all(6, v);
    return PyLong_FromSsize_t(k);
}

/* meet(a, as, b, bs, out, outs) -> n: the documents of both a and b (each ascending,
 * distinct; int64) with a's score plus b's, the shorter walked, the longer galloped. */
static PyObject *meet(PyObject *self, PyObject *args) {
    PyObject *o[6];
    Py_buffer v[6];
    if (!PyArg_ParseTuple(args, "OOOOOO", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5])) return NULL;
    if (get_all(6, o, v, "qdqdqd", "rrrrww") < 0) return NULL;
    const int64_t *a = v[0].buf, *b = v[2].buf;
    const double *as = v[1].buf, *bs = v[3].buf;
    int64_t *out = v[4].buf;
    double *outs = v[5].buf;
    Py_ssize_t na = N64(v[0]), nb = N64(v[2]), no = N64(v[4]), k = 0;
    if (N64(v[1]) < na || N64(v[3]) < nb || N64(v[5]) < no || no < (na < nb ? na : nb)) {
        release_all(6, v);
        PyErr_SetString(PyExc_ValueError, "kb._merge.meet: buffers of the wrong lengths");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    if (na <= nb) {
        Py_ssize_t j = 0;
        for (Py_ssize_t i = 0; i < na && j < nb; i++) {
            j = gallop64(b, nb, j, a[i]);
            if (j < nb && b[j] == a[i]) { out[k] = a[i]; outs[k++] = as[i] + bs[j]; }
        }
    } else {
        Py_ssize_t i = 0;
        for (Py_ssize_t j = 0; j < nb && i < na; j++) {
            i = gallop64(a, na, i, b[j]);
            if (i < na && a[i] == b[j]) { out[k] = b[j]; outs[k++] = as[i] + bs[j]; }
        }
    }
    Py_END_ALLOW_THREADS
    release_all(6, v);
    return PyLong_FromSsize_t(k);
}

/* tally(docs, ptr, codes, counts) -> n: for each document of docs (int64), each of its
 * codes codes[ptr[d]:ptr[d + 1]] (int32) counted in counts (int64); a negative code
 * (no value) is skipped. */
static PyObject *tally(PyObject *self, PyObject *args) {
    PyObject *o[4];
    Py_buffer v[4];
    if (!PyArg_ParseTuple(args, "OOOO", &o[0], &o[1], &o[2], &o[3])) return NULL;
    if (get_all(4, o, v, "qqiq", "rrrw") < 0) return NULL;
    const int64_t *d = v[0].buf, *ptr = v[1].buf;
    const int32_t *codes = v[2].buf;
    int64_t *counts = v[3].buf;
    Py_ssize_t nd = N64(v[0]), np_ = N64(v[1]), nc = N32(v[2]), nk = N64(v[3]), i = 0;
    int bad = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; i < nd; i++) {
        int64_t x = d[i];
        if (x < 0 || x + 1 >= np_ || ptr[x] < 0 || ptr[x + 1] > nc) { bad = 1; break; }
        for (int64_t k = ptr[x]; k < ptr[x + 1]; k++) {
            int32_t c = codes[k];
            if (c >= nk) { bad = 1; break; }
            if (c >= 0) counts[c]++;
        }
        if (bad) break;
    }
    Py_END_ALLOW_THREADS
    release_all(4, v);
    if (bad) { PyErr_SetString(PyExc_IndexError, "kb._merge.tally: a document or code out of range"); return NULL; }
    return PyLong_FromSsize_t(i);
}

/* tally1(docs, by_doc, counts) -> n: for each document of docs (int64), its code
 * by_doc[d] (int32) counted in counts (int64); a negative code is skipped. */
static PyObject *tally1(PyObject *self, PyObject *args) {
    PyObject *o[3];
    Py_buffer v[3];
    if (!PyArg_ParseTuple(args, "OOO", &o[0], &o[1], &o[2])) return NULL;
    if (get_all(3, o, v, "qiq", "rrw") < 0) return NULL;
    const int64_t *d = v[0].buf;
    const int32_t *by = v[1].buf;
    int64_t *counts = v[2].buf;
    Py_ssize_t nd = N64(v[0]), nb = N32(v[1]), nk = N64(v[2]), i = 0;
    int bad = 0;
    Py_BEGIN_ALLOW_THREADS
    for (; i < nd; i++) {
        int64_t x = d[i];
        if (x < 0 || x >= nb || by[x] >= nk) { bad = 1; break; }
        if (by[x] >= 0) counts[by[x]]++;
    }
    Py_END_ALLOW_THREADS
    release_all(3, v);
    if (bad) { PyErr_SetString(PyExc_IndexError, "kb._merge.tally1: a document or code out of range"); return NULL; }
    return PyLong_FromSsize_t(i);
}

/* bm25(docs, wdocs, wtf, lens, idf, k1, b, avgdl, short_bias, out) -> n: for each
 * document of docs (ascending, int32), the BM25 of a word (or gram) whose postings are
 * wdocs (ascending) with counts wtf (int32 or uint16), in a field of lengths lens (by
 * document): 0 where the word is not. The same operations in the same order as
 * kb.kernels.bm25 (numpy), so the same doubles. */
static PyObject *bm25(PyObject *self, PyObject *args) {
    PyObject *o[5];
    Py_buffer v[5];
    double idf, k1, b, avgdl;
    int short_bias;
    if (!PyArg_ParseTuple(args, "OOOOddddpO", &o[0], &o[1], &o[2], &o[3], &idf, &k1, &b, &avgdl, &short_bias, &o[4]))
        return NULL;
    Py_buffer probe;  /* the counts' width: int32, or uint16 (a segment's gram counts) */
    if (PyObject_GetBuffer(o[2], &probe, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return NULL;
    int narrow = probe.itemsize == 2;
    PyBuffer_Release(&probe);
    if (get_all(5, o, v, narrow ? "iiHid" : "iiiid", "rrrrw") < 0) return NULL;
    const int32_t *d = v[0].buf, *wd = v[1].buf, *lens = v[3].buf;
    const int32_t *wtf32 = narrow ? NULL : v[2].buf;
    const uint16_t *wtf16 = narrow ? v[2].buf : NULL;
    double *out = v[4].buf;
    Py_ssize_t nd = N32(v[0]), nw = N32(v[1]), nl = N32(v[3]), no = N64(v[4]), i = 0, j = 0;
    int bad = v[2].len / v[2].itemsize < nw || no < nd;
    double a = avgdl > 1e-9 ? avgdl : 1e-9, k1p = k1 + 1, one_b = 1 - b;
    Py_BEGIN_ALLOW_THREADS
    for (; i < nd && !bad; i++) {
        j = gallop32(wd, nw, j, d[i]);
        if (j >= nw || wd[j] != d[i]) { out[i] = 0.0; continue; }
        if (d[i] < 0 || d[i] >= nl) { bad = 1; break; }
        double tf = narrow ? (double)wtf16[j] : (double)wtf32[j], x = (double)lens[d[i]];
        double dl = short_bias ? x : (x > avgdl ? x : avgdl) + 1e-3 * x;
        out[i] = idf * tf * k1p / (tf + k1 * (one_b + b * dl / a));
    }
    Py_END_ALLOW_THREADS
    release_all(5, v);
    if (bad) { PyErr_SetString(PyExc_IndexError, "kb._merge.bm25: a document past the lengths"); return NULL; }
    return PyLong_FromSsize_t(i);
}

/* One variable-byte code of data[*a:b] (the high bit set on every byte but the last),
 * or -1 when damaged (cut short, or past 2**35). */
static int64_t varint(const uint8_t *d, int64_t *a, int64_t b) {
    uint64_t x = 0;
    int shift = 0;
    uint8_t c;
    do {
        if (*a >= b || shift > 28) return -1;
        c = d[(*a)++];
        x |= (uint64_t)(c & 127) << shift;
        shift += 7;
    } while (c & 128);
    return (int64_t)x;
}

/* unpack(data, ptr, out) -> n: the lists of packed postings (kb/engines/embedded/packed.py)
 * whose bytes are data[ptr[l]:ptr[l + 1]], decoded one after the other into out (int32).
 * Each value is a variable-byte code (7 bits a byte, low bits first, the high bit set on
 * every byte but the last), the gap from the one before it (a list's first as is). */
static PyObject *unpack(PyObject *self, PyObject *args) {
    PyObject *o[3];
    Py_buffer v[3];
    if (!PyArg_ParseTuple(args, "OOO", &o[0], &o[1], &o[2])) return NULL;
    if (get_all(3, o, v, "Bqi", "rrw") < 0) return NULL;
    const uint8_t *d = v[0].buf;
    const int64_t *p = v[1].buf;
    int32_t *out = v[2].buf;
    Py_ssize_t nd = v[0].len, nl = N64(v[1]) - 1, no = N32(v[2]), k = 0;
    int bad = nl > 0 && (p[0] < 0 || p[nl] > nd || p[nl] - p[0] > no);  /* out holds a value a byte */
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t l = 0; l < nl && !bad; l++) {
        int64_t a = p[l], b = p[l + 1], acc = 0, x;
        if (a > b || a < p[0] || b > p[nl]) { bad = 1; break; }
        while (a < b) {
            uint8_t c = d[a];
            if (c < 128) {  /* the common case: a one-byte gap */
                a++;
                acc += c;
            } else if ((x = varint(d, &a, b)) < 0) {
                bad = 1;
                break;
            } else {
                acc += x;
            }
            out[k++] = (int32_t)acc;  /* checked once the list is done: the sums only grow */
        }
        if (acc > INT32_MAX) bad = 1;
    }
    Py_END_ALLOW_THREADS
    release_all(3, v);
    if (bad) { PyErr_SetString(PyExc_ValueError, "kb._merge.unpack: damaged packed postings"); return NULL; }
    return PyLong_FromSsize_t(k);
}

/* unpack_pairs(data, ptr, counts, docs, tfs) -> n: the (paragraph, count) lists of packed
 * postings (kb/engines/embedded/packed.py): list l in data[ptr[l]:ptr[l + 1]] holds counts[l]
 * heads, gap << 1 | (count == 1), then the counts that are not 1, in order. */
static PyObject *unpack_pairs(PyObject *self, PyObject *args) {
    PyObject *o[5];
    Py_buffer v[5];
    if (!PyArg_ParseTuple(args, "OOOOO", &o[0], &o[1], &o[2], &o[3], &o[4])) return NULL;
    if (get_all(5, o, v, "Bqqii", "rrrww") < 0) return NULL;
    const uint8_t *d = v[0].buf;
    const int64_t *p = v[1].buf, *cnt = v[2].buf;
    int32_t *docs = v[3].buf, *tfs = v[4].buf;
    Py_ssize_t nd = v[0].len, nl = N64(v[1]) - 1, no = N32(v[3]), k = 0;
    int bad = N64(v[2]) < nl || N32(v[4]) < no;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t l = 0; l < nl && !bad; l++) {
        int64_t a = p[l], b = p[l + 1], acc = 0, x;
        Py_ssize_t first = k;
        if (a < 0 || a > b || b > nd || cnt[l] < 0 || k + cnt[l] > no) { bad = 1; break; }
        for (int64_t c = 0; c < cnt[l]; c++) {
            if (a < b && d[a] < 128) x = d[a++];  /* the common case: a one-byte head */
            else if ((x = varint(d, &a, b)) < 0) { bad = 1; break; }
            acc += x >> 1;
            if (acc > INT32_MAX) { bad = 1; break; }
            docs[k] = (int32_t)acc;
            tfs[k++] = (int32_t)(x & 1);  /* 1: a count of 1; 0: the count follows */
        }
        for (Py_ssize_t i = first; i < k && !bad; i++) {
            if (tfs[i]) continue;
            if ((x = varint(d, &a, b)) < 0 || x > INT32_MAX) { bad = 1; break; }
            tfs[i] = (int32_t)x;
        }
        if (a != b) bad = 1;
    }
    Py_END_ALLOW_THREADS
    release_all(5, v);
    if (bad) { PyErr_SetString(PyExc_ValueError, "kb._merge.unpack_pairs: damaged packed postings"); return NULL; }
    return PyLong_FromSsize_t(k);
}

/* one span of packed positions (unpack_spans): from byte a of d (nd bytes), skip values passed
 * over, then count values into out, the first as it is and each next one the gap from the one
 * before; -1 on damaged bytes */
static int span(const uint8_t *d, Py_ssize_t nd, int64_t a, int64_t skip, int64_t count, int32_t *out) {
    int64_t acc = 0, x;
    if (a < 0 || a > nd || skip < 0 || count < 0) return -1;
    for (int64_t i = 0; i < skip; i++) {
        if (a < nd && d[a] < 128) a++;
        else if (varint(d, &a, nd) < 0) return -1;
    }
    for (int64_t i = 0; i < count; i++) {
        if (a < nd && d[a] < 128) acc += d[a++];
        else if ((x = varint(d, &a, nd)) < 0) return -1;
        else acc += x;
        if (acc > INT32_MAX) return -1;
        out[i] = (int32_t)acc;
    }
    return 0;
}

/* unpack_spans(data, starts, skips, counts, out) -> n: spans of packed positions
 * (kb/engines/embedded/packed.py, unpack_spans): span s begins at byte starts[s]; its first
 * skips[s] values are passed over, then counts[s] values are decoded into out, the first as
 * it is and each next one the gap from the one before (a span begins where a value is
 * written as it is: the start of a block or of a gram's list). */
static PyObject *unpack_spans(PyObject *self, PyObject *args) {
    PyObject *o[5];
    Py_buffer v[5];
    if (!PyArg_ParseTuple(args, "OOOOO", &o[0], &o[1], &o[2], &o[3], &o[4])) return NULL;
    if (get_all(5, o, v, "Bqqqi", "rrrrw") < 0) return NULL;
    const uint8_t *d = v[0].buf;
    const int64_t *st = v[1].buf, *sk = v[2].buf, *cn = v[3].buf;
    int32_t *out = v[4].buf;
    Py_ssize_t nd = v[0].len, ns = N64(v[1]), no = N32(v[4]), k = 0;
    int bad = N64(v[2]) != ns || N64(v[3]) != ns;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t s = 0; s < ns && !bad; s++) {
        if (cn[s] < 0 || cn[s] > no - k || span(d, nd, st[s], sk[s], cn[s], out + k) < 0) bad = 1;
        else k += cn[s];
    }
    Py_END_ALLOW_THREADS
    release_all(5, v);
    if (bad) { PyErr_SetString(PyExc_ValueError, "kb._merge.unpack_spans: damaged packed positions"); return NULL; }
    return PyLong_FromSsize_t(k);
}

/* unpack_span(data, start, skip, count, out) -> n: unpack_spans of one span, given as numbers
 * (a gram's few positions: no arrays made to say where) */
static PyObject *unpack_span(PyObject *self, PyObject *args) {
    PyObject *o[2];
    Py_buffer v[2];
    Py_ssize_t a, skip, count;
    if (!PyArg_ParseTuple(args, "OnnnO", &o[0], &a, &skip, &count, &o[1])) return NULL;
    if (get_all(2, o, v, "Bi", "rw") < 0) return NULL;
    int bad = count > N32(v[1]) || span(v[0].buf, v[0].len, a, skip, count, v[1].buf) < 0;
    release_all(2, v);
    if (bad) { PyErr_SetString(PyExc_ValueError, "kb._merge.unpack_span: damaged packed positions"); return NULL; }
    return PyLong_FromSsize_t(count);
}

static PyMethodDef methods[] = {
    {"keep", keep, METH_VARARGS, "keep(starts, offset, pos, out) -> n: starts s with s + offset in pos"},
    {"docs", docs, METH_VARARGS, "docs(pos, starts, out) -> n: the distinct paragraphs of positions"},
    {"counts", counts, METH_VARARGS, "counts(docs, starts, pos, out) -> n: positions per paragraph"},
    {"owners", owners, METH_VARARGS, "owners(pos, starts, out) -> n: the paragraph of each position"},
    {"close", close_, METH_VARARGS, "close(anchors, docs, pos, window, starts, out) -> n: 1 where pos is near"},
    {"unite", unite, METH_VARARGS, "unite(a, as, b, bs, out, outs) -> n: sorted union, scores summed"},
    {"meet", meet, METH_VARARGS, "meet(a, as, b, bs, out, outs) -> n: sorted intersection, scores summed"},
    {"tally", tally, METH_VARARGS, "tally(docs, ptr, codes, counts) -> n: count each document's codes"},
    {"tally1", tally1, METH_VARARGS, "tally1(docs, by_doc, counts) -> n: count each document's code"},
    {"bm25", bm25, METH_VARARGS, "bm25(docs, wdocs, wtf, lens, idf, k1, b, avgdl, short_bias, out) -> n"},
    {"unpack", unpack, METH_VARARGS, "unpack(data, ptr, out) -> n: decode packed postings lists"},
    {"unpack_pairs", unpack_pairs, METH_VARARGS, "unpack_pairs(data, ptr, counts, docs, tfs) -> n: decode packed pairs"},
    {"unpack_spans", unpack_spans, METH_VARARGS, "unpack_spans(data, starts, skips, counts, out) -> n: decode spans"},
    {"unpack_span", unpack_span, METH_VARARGS, "unpack_span(data, start, skip, count, out) -> n: decode one span"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_merge", "Merge kernels of kb.postings.", -1, methods};

PyMODINIT_FUNC PyInit__merge(void) { return PyModule_Create(&module); }
