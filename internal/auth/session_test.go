package auth

import (
	"testing"
	"time"
)

// TestSessionUsable: a session acts for its user once the second factor is
// passed, or at once when the account needs none.
func TestSessionUsable(t *testing.T) {
	for _, tt := range []struct {
		required, done, want bool
	}{{false, false, true}, {false, true, true}, {true, false, false}, {true, true, true}} {
		if got := SessionUsable(tt.required, tt.done); got != tt.want {
			t.Errorf("required %v, done %v: %v, want %v", tt.required, tt.done, got, tt.want)
		}
	}
}

// TestThrottle: 5 failures per account or 30 per address within 15 minutes
// lock (docs/security.md), whatever else counts; a configured bound
// replaces its default, an unset one keeps it.
func TestThrottle(t *testing.T) {
	def := Throttle{}
	if got := def.OrDefaults(); got != (Throttle{Window: 15 * time.Minute, Account: 5, Address: 30}) {
		t.Fatalf("defaults %+v", got)
	}
	for _, tt := range []struct {
		name          string
		t             Throttle
		account, addr int
		want          bool
	}{
		{"no failures", def, 0, 0, false},
		{"4 on the account", def, 4, 4, false},
		{"5th on the account locks", def, 5, 5, true},
		{"29 from the address", def, 0, 29, false},
		{"30 from the address locks", def, 0, 30, true},
		{"30 from the address, none on the account", def, 0, 31, true},
		{"higher address limit configured", Throttle{Address: 100}, 0, 30, false},
		{"higher address limit, account default stays", Throttle{Address: 100}, 5, 30, true},
		{"stricter account limit", Throttle{Account: 3}, 3, 0, true},
		{"negative bound means the default", Throttle{Account: -1}, 4, 0, false},
	} {
		if got := tt.t.Refuses(tt.account, tt.addr); got != tt.want {
			t.Errorf("%s: refuses %v, want %v", tt.name, got, tt.want)
		}
	}
}
