package main

import (
	"context"
	"io"

	"github.com/opstap/opstap/internal/api"
)

// cmdOpenAPI writes the OpenAPI document the server serves, so that it can
// be linted (make lint) or handed to an integrator without a running server.
func cmdOpenAPI(_ context.Context, _ []string, stdout io.Writer) error {
	_, err := stdout.Write(api.OpenAPI())
	return err
}
