package dossier

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/opstap/opstap"
)

// DocumentKind is what a stored document is. A CV goes to employers only
// with the candidate's consent [004 "Kandidaten"]; that sharing is decided
// elsewhere, by kind.
type DocumentKind string

// The document kinds.
const (
	DocCV              DocumentKind = "cv"
	DocDiploma         DocumentKind = "diploma"
	DocLetter          DocumentKind = "letter"
	DocSignedAgreement DocumentKind = "signed_agreement"
	DocOther           DocumentKind = "other"
)

// DocumentKinds lists the kinds in display order.
var DocumentKinds = []DocumentKind{DocCV, DocDiploma, DocLetter, DocSignedAgreement, DocOther}

// Category is the data category that guards the kind: CVs and diplomas are
// education data, letters and agreements dossier notes [001, 002 art 4];
// "" for an unknown kind.
func (k DocumentKind) Category() opstap.Category {
	switch k {
	case DocCV, DocDiploma:
		return opstap.CatEducation
	case DocLetter, DocSignedAgreement, DocOther:
		return opstap.CatNotes
	}
	return ""
}

// MaxDocumentSize is the largest document accepted: 10 MiB.
const MaxDocumentSize = 10 << 20

// CheckDocumentSize refuses a document above MaxDocumentSize, naming the
// field; the HTTP layers call it when a body is cut off.
func CheckDocumentSize(n int64) error {
	if n > MaxDocumentSize {
		return opstap.FieldError("file", "the file is larger than %d MiB", MaxDocumentSize>>20)
	}
	return nil
}

// The content types accepted, decided by the bytes, never by the name or
// the type the browser claims.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeODT  = "application/vnd.oasis.opendocument.text"
)

// magic are the leading bytes each accepted type must start with.
var magic = []struct{ prefix, sniffed, typ string }{
	{"%PDF-", "application/pdf", TypePDF},
	{"\x89PNG\r\n\x1a\n", "image/png", TypePNG},
	{"\xff\xd8\xff", "image/jpeg", TypeJPEG},
	{"PK\x03\x04", "application/zip", ""}, // DOCX or ODT, decided by the archive's entries
}

var errDocType = opstap.FieldError("file", "only PDF, PNG, JPEG, DOCX and ODT files are accepted")

// DocumentType decides a document's content type by its content: the
// standard sniffer and the magic bytes must agree, and a zip archive must
// be a word-processing document. Anything else is refused.
func DocumentType(b []byte) (string, error) {
	sniffed := http.DetectContentType(b)
	for _, m := range magic {
		if !strings.HasPrefix(string(b[:min(len(b), len(m.prefix))]), m.prefix) || sniffed != m.sniffed {
			continue
		}
		switch m.typ {
		case "":
			return officeType(b)
		case TypePDF:
			if err := checkPDF(b); err != nil {
				return "", err
			}
		}
		return m.typ, nil
	}
	return "", errDocType
}

// officeType recognises an ODT by its mimetype entry and a DOCX by its
// content-type declaration; it reads only those two small entries.
func officeType(b []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", errDocType
	}
	for _, f := range zr.File {
		switch {
		case f.Name == "mimetype" && strings.TrimSpace(readSmall(f, 128)) == TypeODT:
			return TypeODT, nil
		case f.Name == "[Content_Types].xml" && strings.Contains(readSmall(f, 64<<10), "wordprocessingml.document.main+xml"):
			return TypeDOCX, nil
		}
	}
	return "", errDocType
}

// readSmall reads at most n bytes of a zip entry: a forged archive cannot
// make the check inflate much.
func readSmall(f *zip.File, n int64) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, n))
	return string(b)
}
