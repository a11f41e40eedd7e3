package opstap

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestErrorKeepsCause: an application error made from a cancelled
// operation is still recognisable as a cancellation.
func TestErrorKeepsCause(t *testing.T) {
	err := fmt.Errorf("load: %w", &Error{Code: EUNAVAILABLE, Message: "database unavailable", Err: context.Canceled})
	if !errors.Is(err, context.Canceled) {
		t.Fatal("the cause is lost")
	}
	if ErrorCode(err) != EUNAVAILABLE {
		t.Fatalf("code %q", ErrorCode(err))
	}
	if errors.Is(Errorf(EINTERNAL, "x"), context.Canceled) {
		t.Fatal("an error without cause matches a cancellation")
	}
}
