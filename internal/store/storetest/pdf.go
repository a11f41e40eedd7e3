package storetest

import (
	"bytes"
	"fmt"
	"strings"
)

// PDF returns the smallest well-formed PDF (a catalogue and an empty page
// tree, with a correct cross-reference table), carrying note in a comment
// line, for tests that upload documents.
func PDF(note string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%" + strings.ReplaceAll(note, "\n", " ") + "\n")
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
