package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"hash"
	"io"
	"log/slog"
	"net/http"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/httpx"
	"github.com/opstap/opstap/internal/store"
)

// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header, as Stripe
// does it; docs/api.md): a write sent with a key runs once per user and
// key. A retry with the same key, method, path, query and body gets the
// first answer again, marked Idempotent-Replayed, without running; the same
// key on another request is refused (422), and while the first is still
// running a retry is told to wait (409, Retry-After). Answers of 500 and
// above are not kept, so such a request may be retried with its key.
const (
	IdempotencyKeyHeader = "Idempotency-Key"
	ReplayedHeader       = "Idempotent-Replayed"
	// MaxIdempotencyKey is the longest key accepted, in characters.
	MaxIdempotencyKey = 255
	// maxFingerprintBody bounds the body read to fingerprint a request. It
	// is above every body limit of the API (the 32 MiB CSV file), so a body
	// longer than this was refused with 413 and is not kept.
	maxFingerprintBody = 64 << 20
)

// replayHeaders are the headers of an answer that a replay repeats; the
// others are the server's own (security headers) and set again anyway.
var replayHeaders = []string{"Content-Type", "Content-Disposition", "Location"}

var errIdempotencyKey = &opstap.Error{Code: opstap.EBADREQUEST, Message: "send one Idempotency-Key header of 1 to 255 printable ASCII characters", Field: IdempotencyKeyHeader}

// ParseIdempotencyKey reads the header's values: none means no key; more
// than one, an empty one, one above MaxIdempotencyKey characters or one
// with a character outside printable ASCII is refused naming the header.
func ParseIdempotencyKey(values []string) (key string, ok bool, err error) {
	switch {
	case len(values) == 0:
		return "", false, nil
	case len(values) > 1:
		return "", false, errIdempotencyKey
	}
	k := values[0]
	if len(k) < 1 || len(k) > MaxIdempotencyKey {
		return "", false, errIdempotencyKey
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return "", false, errIdempotencyKey
		}
	}
	return k, true, nil
}

// writeMethod: the methods an Idempotency-Key applies to.
func writeMethod(m string) bool {
	switch m {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// idempotent runs next at most once per user and Idempotency-Key; without
// the header it just runs next.
func (h *Handler) idempotent(w http.ResponseWriter, r *http.Request, userID string, next http.HandlerFunc) {
	key, ok, err := ParseIdempotencyKey(r.Header.Values(IdempotencyKeyHeader))
	if err != nil {
		httpx.WriteJSONError(w, r, err)
		return
	}
	if !ok {
		next(w, r)
		return
	}
	claim, prev, err := h.DB.ClaimIdempotencyKey(r.Context(), store.IdempotentRequest{UserID: userID, Key: key, Method: r.Method, Path: r.URL.Path})
	switch {
	case opstap.ErrorCode(err) == opstap.ECONFLICT:
		inFlight(w, r)
	case err != nil:
		httpx.WriteJSONError(w, r, err)
	case prev != nil:
		replay(w, r, prev)
	default:
		h.runOnce(w, r, claim, next)
	}
}

// runOnce runs the claimed request, fingerprinting its body as the handler
// reads it, and keeps the answer or releases the key. The claim is settled
// even when the client went away, and released when the handler panics.
func (h *Handler) runOnce(w http.ResponseWriter, r *http.Request, claim string, next http.HandlerFunc) {
	ctx := context.WithoutCancel(r.Context())
	fp := newFingerprint(r)
	rec := &recorder{ResponseWriter: w, fp: fp}
	settled := false
	defer func() {
		if !settled {
			h.settle(ctx, claim, nil, nil)
		}
	}()
	r.Body = fp
	next(rec, r)
	rec.ensureHeader()
	settled = true
	if !rec.keep {
		h.settle(ctx, claim, nil, nil)
		return
	}
	h.settle(ctx, claim, fp.sum.Sum(nil), &store.IdempotentResponse{Status: rec.status, Header: rec.header, Body: rec.body.Bytes()})
}

// settle keeps the answer (resp non-nil) or releases the key. The answer has
// been sent already, so a failure is only logged (without the answer).
func (h *Handler) settle(ctx context.Context, claim string, fingerprint []byte, resp *store.IdempotentResponse) {
	var err error
	if resp != nil {
		err = h.DB.CompleteIdempotencyKey(ctx, claim, fingerprint, *resp)
	}
	if resp == nil || err != nil {
		if rerr := h.DB.ReleaseIdempotencyKey(ctx, claim); err == nil {
			err = rerr
		}
	}
	if err != nil {
		slog.ErrorContext(ctx, "idempotency key not settled", "err", err)
	}
}

// replay answers a retry from what its key holds.
func replay(w http.ResponseWriter, r *http.Request, prev *store.IdempotencyRecord) {
	if prev.Method != r.Method || prev.Path != r.URL.Path {
		httpx.WriteJSONError(w, r, errOtherRequest)
		return
	}
	if prev.Response == nil {
		inFlight(w, r)
		return
	}
	fp := newFingerprint(r)
	if !fp.finish() || !bytes.Equal(fp.sum.Sum(nil), prev.Fingerprint) {
		httpx.WriteJSONError(w, r, errOtherRequest)
		return
	}
	for k, v := range prev.Response.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set(ReplayedHeader, "true")
	w.WriteHeader(prev.Response.Status)
	_, _ = w.Write(prev.Response.Body)
}

var errOtherRequest = &opstap.Error{Code: opstap.EINVALID, Message: "this Idempotency-Key was used for another request; use a new key", Field: IdempotencyKeyHeader}

func inFlight(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "1")
	httpx.WriteJSONError(w, r, &opstap.Error{Code: opstap.ECONFLICT, Message: "a request with this Idempotency-Key is still being processed; retry later", Field: IdempotencyKeyHeader})
}

// fingerprint is the request body as read, summed: SHA-256 over the query,
// a NUL and the body.
type fingerprint struct {
	body io.ReadCloser
	sum  hash.Hash
	n    int64
}

func newFingerprint(r *http.Request) *fingerprint {
	f := &fingerprint{body: r.Body, sum: sha256.New()}
	if f.body == nil {
		f.body = http.NoBody
	}
	f.sum.Write([]byte(r.URL.RawQuery))
	f.sum.Write([]byte{0})
	return f
}

func (f *fingerprint) Read(p []byte) (int, error) {
	n, err := f.body.Read(p)
	f.sum.Write(p[:n])
	f.n += int64(n)
	return n, err
}

func (f *fingerprint) Close() error { return f.body.Close() }

// finish reads into the sum what the handler left unread, and reports
// whether the whole body, at most maxFingerprintBody bytes, was read.
func (f *fingerprint) finish() bool {
	if f.n > maxFingerprintBody {
		return false
	}
	_, err := io.Copy(io.Discard, io.LimitReader(f, maxFingerprintBody+1-f.n))
	return err == nil && f.n <= maxFingerprintBody
}

// recorder passes the answer on and keeps a copy. Before the status goes
// out it reads the rest of the body into the fingerprint: an HTTP/1 server
// discards an unread body once the answer starts.
type recorder struct {
	http.ResponseWriter
	fp     *fingerprint
	status int
	header map[string]string
	body   bytes.Buffer
	// keep: the answer may be kept (below 500, not 413, body whole).
	keep bool
}

func (rec *recorder) WriteHeader(status int) {
	if rec.status != 0 {
		return
	}
	rec.status = status
	rec.header = map[string]string{}
	for _, k := range replayHeaders {
		if v := rec.Header().Get(k); v != "" {
			rec.header[k] = v
		}
	}
	rec.keep = status < 500 && status != http.StatusRequestEntityTooLarge && status != httpx.StatusClientClosed && rec.fp.finish()
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(p []byte) (int, error) {
	rec.ensureHeader()
	if rec.keep {
		rec.body.Write(p)
	}
	return rec.ResponseWriter.Write(p)
}

// ensureHeader: a handler that writes nothing answers 200.
func (rec *recorder) ensureHeader() {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
}

// Unwrap gives http.ResponseController the writer underneath.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
