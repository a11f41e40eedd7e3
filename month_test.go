package opstap

import (
	"encoding/json"
	"testing"
)

func TestMonthAfterAndDutch(t *testing.T) {
	dec := Month{2026, 12}
	if !dec.After(Month{2026, 11}) || dec.After(dec) || dec.Dutch() != "12-2026" || (Month{}).Dutch() != "" {
		t.Fatal("After / Dutch")
	}
}

func TestMonthJSONAndSQL(t *testing.T) {
	b, err := json.Marshal(struct{ M Month }{Month{2026, 3}})
	if err != nil || string(b) != `{"M":"2026-03"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var m Month
	if err := json.Unmarshal([]byte(`"04-2026"`), &m); err != nil || m != (Month{2026, 4}) {
		t.Fatalf("unmarshal: %v %v", m, err)
	}
	if err := json.Unmarshal([]byte(`"april"`), &m); err == nil {
		t.Fatal("unmarshal accepted a word")
	}
	v, _ := m.Value()
	var back Month
	if err := back.Scan([]byte(v.(string))); err != nil || back != m {
		t.Fatalf("scan: %v %v", back, err)
	}
	if err := back.Scan(42); err == nil {
		t.Fatal("scan accepted an integer")
	}
}
