package dossier

import (
	"bytes"
	"regexp"
	"strconv"

	"github.com/opstap/opstap"
)

var errPDF = opstap.FieldError("file", "the file is not a readable PDF")

// pdfTail is how far from the end a PDF's "startxref … %%EOF" may lie;
// readers tolerate some trailing bytes after %%EOF, and so do we.
const pdfTail = 1024

var (
	pdfHeader    = regexp.MustCompile(`^%PDF-[12]\.[0-9]`)
	pdfStartXref = regexp.MustCompile(`startxref\s+([0-9]{1,10})\s+%%EOF`)
	pdfObject    = regexp.MustCompile(`^[0-9]{1,10}\s+[0-9]{1,5}\s+obj\b`)
)

// checkPDF checks the structure every PDF reader starts from, so that a
// file that merely begins with "%PDF-" is not stored as a PDF: the header,
// "startxref" with an offset and "%%EOF" at the end, and at that offset a
// cross-reference table followed by a trailer, or a cross-reference
// stream; either must name the document's /Root. It reads no objects: it
// proves the file can be opened, not that every page renders.
func checkPDF(b []byte) error {
	if !pdfHeader.Match(b) {
		return errPDF
	}
	tail := b[max(0, len(b)-pdfTail):]
	ms := pdfStartXref.FindAllSubmatch(tail, -1)
	if ms == nil {
		return errPDF
	}
	off, err := strconv.Atoi(string(ms[len(ms)-1][1]))
	if err != nil || off < len("%PDF-1.0") || off >= len(b) {
		return errPDF
	}
	at := b[off:]
	switch {
	case bytes.HasPrefix(at, []byte("xref")):
		i := bytes.Index(at, []byte("trailer"))
		if i < 0 || !bytes.Contains(at[i:], []byte("/Root")) {
			return errPDF
		}
	case pdfObject.Match(at):
		end := bytes.Index(at, []byte("stream"))
		if end < 0 || !bytes.Contains(at[:end], []byte("/XRef")) || !bytes.Contains(at[:end], []byte("/Root")) {
			return errPDF
		}
	default:
		return errPDF
	}
	return nil
}
