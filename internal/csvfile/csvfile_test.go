package csvfile

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/opstap/opstap"
)

var schema = Schema{Columns: []string{"ref", "day", "note"}, Required: []string{"ref"}, MaxRows: 3}

// TestRead: the forms a file may take read the same; what is wrong with the
// whole file is refused with row and column; a row of the wrong width is
// reported with the rows.
func TestRead(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // the rows as line:ref:day, or the file's errors as row:field
	}{
		{"semicolons", "ref;day\nA;01-02-2024\n", "2:A:2024-02-01"},
		{"commas, quoted, BOM, any case", "\xef\xbb\xbfREF,Day,note\n\"B, jr\",2024-02-01,\"x\"\"y\"\n", "2:B, jr:2024-02-01"},
		{"blank rows skipped", "ref;day\n\n;\nC;\n", "4:C:"},
		{"bad date named", "ref;day\nD;31-02-2024\n", "2:D: 2:day"},
		{"row of the wrong width", "ref;day\nE\n", "2:: 2:file"},
		{"unknown and repeated columns", "ref;ref;colour\nF;F;red\n", "1:ref 1:colour"},
		{"required column missing", "day\n01-01-2024\n", "1:ref"},
		{"not UTF-8", "ref\nok\n\xff\n", "3:file"},
		{"not CSV", "ref\n\"open\n", "2:file"},
		{"empty", "", "1:file"},
		{"no data rows", "ref;day\n", "2:file"},
		{"too many rows", "ref\na\nb\nc\nd\n", "5:file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Read(strings.NewReader(tt.body), schema)
			var got []string
			var fe *FileError
			switch {
			case errors.As(err, &fe):
				for _, e := range fe.Rows {
					got = append(got, fmt.Sprintf("%d:%s", e.Row, e.Field))
				}
				if e := opstap.AsError(err); e == nil || e.Code != opstap.EINVALID || e.Field != "file" {
					t.Errorf("the file's error %v", err)
				}
			case err != nil:
				t.Fatal(err)
			default:
				for _, r := range rows {
					day := r.Date("day")
					got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Fields["ref"], day))
					for _, e := range r.Errs {
						got = append(got, fmt.Sprintf("%d:%s", e.Row, e.Field))
					}
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tt.want)
			}
		})
	}
}

// TestFailErr: every error of a joined one is reported on its field.
func TestFailErr(t *testing.T) {
	r := &Row{Line: 7}
	r.FailErr("file", errors.Join(opstap.FieldError("a", "one"), opstap.FieldError("b", "two"), errors.New("plain")))
	var got []string
	for _, e := range r.Errs {
		got = append(got, fmt.Sprintf("%d:%s:%s", e.Row, e.Field, e.Message))
	}
	if want := "7:a:one 7:b:two 7:file:something went wrong on our side; please try again"; strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}
