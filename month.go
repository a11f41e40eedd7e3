package opstap

// Month's JSON and SQL forms, and its Dutch notation; the type is in
// date.go.

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// After reports whether m lies after n.
func (m Month) After(n Month) bool { return n.Before(m) }

// Dutch formats mm-jjjj.
func (m Month) Dutch() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d-%04d", m.Month, m.Year)
}

// MarshalJSON writes "YYYY-MM" (null when unset).
func (m Month) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(m.String())
}

// UnmarshalJSON reads ISO or Dutch notation.
func (m *Month) UnmarshalJSON(b []byte) error {
	var s string
	if string(b) == "null" {
		*m = Month{}
		return nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*m = Month{}
		return nil
	}
	p, err := ParseMonth(s)
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// Value stores the month as "YYYY-MM" text, which sorts in time order.
func (m Month) Value() (driver.Value, error) {
	if m.IsZero() {
		return nil, nil
	}
	return m.String(), nil
}

// Scan reads a month column from either engine.
func (m *Month) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*m = Month{}
		return nil
	case []byte:
		return m.Scan(string(x))
	case string:
		p, err := ParseMonth(x)
		if err != nil {
			return err
		}
		*m = p
		return nil
	}
	return fmt.Errorf("opstap: cannot scan %T into a Month", v)
}
