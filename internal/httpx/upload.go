package httpx

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
)

// Upload is one file sent in a multipart form.
type Upload struct {
	Filename string
	Content  []byte
}

// ReadUpload parses a multipart form (its other values land in r.Form) and
// reads the file in field, refusing with an error naming the field a file
// above limit bytes (413) or a missing file. The body is cut off a little
// above limit, so a huge upload is never read whole.
func ReadUpload(w http.ResponseWriter, r *http.Request, field string, limit int64) (*Upload, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return nil, opstap.Errorf(opstap.EUNSUPPORTED, "send the file as multipart/form-data")
	}
	bodyLimit := limit + 64<<10
	if r.ContentLength > bodyLimit {
		return nil, TooLarge(field, limit)
	}
	r.Body = http.MaxBytesReader(w, r.Body, bodyLimit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if IsTooLarge(err) {
			return nil, TooLarge(field, limit)
		}
		return nil, opstap.Errorf(opstap.EBADREQUEST, "the form could not be read")
	}
	defer r.MultipartForm.RemoveAll()
	f, fh, err := r.FormFile(field)
	if err != nil {
		return nil, opstap.FieldError(field, "choose a file")
	}
	defer f.Close()
	if fh.Size > limit {
		return nil, TooLarge(field, limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, TooLarge(field, limit)
	}
	return &Upload{Filename: fh.Filename, Content: b}, nil
}

// ServeDocument writes a document as an attachment with the type its
// content was checked to have, never rendered inline.
func ServeDocument(w http.ResponseWriter, doc *store.Document, content []byte) {
	w.Header().Set("Content-Type", doc.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": doc.Filename}))
	w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(content)
}
