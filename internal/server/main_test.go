package server_test

import (
	"io"
	"log/slog"

	"github.com/opstap/opstap"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

func demoSystem() *opstap.Actor { return &opstap.Actor{System: true} }
