package main

import (
	"context"
	"fmt"
	"io"

	"github.com/opstap/opstap/internal/store"
)

// cmdKeys rotates to the newest master key: `opstap keys rotate` re-wraps
// every data key and re-seals every system secret in batches, while the
// service keeps running with both versions configured.
func cmdKeys(ctx context.Context, args []string, stdout io.Writer) error {
	_, rest, err := subcommand(args, "rotate")
	if err != nil {
		return err
	}
	return withDB(ctx, "keys rotate", rest, nil, func(db *store.DB) error {
		var total store.RotationResult
		for {
			res, err := db.RotateKeys(ctx, system)
			if err != nil {
				return err
			}
			total.DataKeys += res.DataKeys
			total.TOTPSecrets += res.TOTPSecrets
			total.Breaches += res.Breaches
			total.IdempotentResponses += res.IdempotentResponses
			if res.Remaining == 0 && res.TOTPSecrets+res.Breaches+res.IdempotentResponses == 0 {
				break
			}
		}
		fmt.Fprintf(stdout, "now under master key version %d: %d data keys, %d TOTP secrets, %d breach records, %d stored API answers re-wrapped\n",
			db.Keyring.Current(), total.DataKeys, total.TOTPSecrets, total.Breaches, total.IdempotentResponses)
		return nil
	})
}
