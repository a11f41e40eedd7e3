package dossier_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/dossier"
	"github.com/opstap/opstap/internal/store/storetest"
)

// officeFile builds a minimal zip with the given entries.
func officeFile(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"mimetype", "[Content_Types].xml", "word/document.xml", "content.xml", "readme.txt"} {
		if body, ok := files[name]; ok {
			w, _ := zw.Create(name)
			w.Write([]byte(body))
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDocumentType(t *testing.T) {
	docx := officeFile(t, map[string]string{"[Content_Types].xml": `<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`, "word/document.xml": "<w/>"})
	odt := officeFile(t, map[string]string{"mimetype": dossier.TypeODT, "content.xml": "<o/>"})
	tests := []struct {
		name string
		data []byte
		want string // "" for refused
	}{
		{"pdf", storetest.PDF("cv"), dossier.TypePDF},
		{"pdf with an xref stream", xrefStreamPDF, dossier.TypePDF},
		// Issue 11: a file that only starts like a PDF is not one.
		{"five bytes of pdf header", []byte("%PDF-"), ""},
		{"pdf header and an object", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), ""},
		{"pdf without a trailer", []byte("%PDF-1.4\nxref\n0 1\n0000000000 65535 f \nstartxref\n9\n%%EOF\n"), ""},
		{"pdf with startxref out of the file", []byte("%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\nstartxref\n99999\n%%EOF\n"), ""},
		{"pdf with startxref at no xref", append(storetest.PDF("cv")[:40:40], []byte("\nstartxref\n12\n%%EOF\n")...), ""},
		{"png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 20)...), dossier.TypePNG},
		{"jpeg", append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 20)...), dossier.TypeJPEG},
		{"docx", docx, dossier.TypeDOCX},
		{"odt", odt, dossier.TypeODT},
		{"plain zip", officeFile(t, map[string]string{"readme.txt": "hello"}), ""},
		{"zip with a spreadsheet mimetype", officeFile(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), ""},
		{"html named cv.pdf", []byte("<html><script>alert(1)</script></html>"), ""},
		{"windows executable", append([]byte("MZ\x90\x00"), make([]byte, 60)...), ""},
		{"text", []byte("Dit is mijn cv"), ""},
		{"empty", nil, ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dossier.DocumentType(tt.data)
			if got != tt.want {
				t.Fatalf("type %q, want %q", got, tt.want)
			}
			if tt.want == "" && (opstap.ErrorCode(err) != opstap.EINVALID || opstap.AsError(err).Field != "file") {
				t.Fatalf("refusal %v", err)
			}
		})
	}
}

// xrefStreamPDF is a PDF 1.5 whose cross-reference is a stream (the form
// most producers write today); the stream's content is not inspected.
var xrefStreamPDF = []byte("%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
	"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
	"3 0 obj\n<< /Type /XRef /Size 4 /Root 1 0 R /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\n" +
	"startxref\n110\n%%EOF\n")

// FuzzDocumentType: any bytes are typed or refused with the field named,
// never a panic; what passes as PDF has the header and ends in %%EOF.
func FuzzDocumentType(f *testing.F) {
	for _, b := range [][]byte{storetest.PDF("cv"), xrefStreamPDF, []byte("%PDF-"), []byte("%PDF-1.4\nstartxref\n0\n%%EOF"), []byte("\x89PNG\r\n\x1a\n")} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		typ, err := dossier.DocumentType(b)
		if err != nil {
			if e := opstap.AsError(err); e == nil || e.Field != "file" {
				t.Fatalf("refusal without the field: %v", err)
			}
			return
		}
		if typ == dossier.TypePDF && (!bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF"))) {
			t.Fatalf("accepted as PDF: %q", b)
		}
	})
}
