package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/store/storetest"
)

// TestSnakeCaseDocuments: migration 00032 renames the keys of the JSON the
// store keeps (issued invoices, fee tiers) from the old camelCase to
// snake_case; data written before it reads back unchanged after it. Going
// down to 31 writes the old names, going up again must restore every value.
func TestSnakeCaseDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newInvoiceFixture(t, db)
		ctx := context.Background()
		if err := db.ClosePeriod(ctx, f.finance, f.march); err != nil {
			t.Fatal(err)
		}
		issued, err := db.IssueMonth(ctx, f.finance, f.march, invoiceFiles)
		if err != nil || len(issued) != 2 {
			t.Fatalf("issue: %v %+v", err, issued)
		}
		before, _, err := db.Invoice(ctx, f.finance, issued[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		terms, err := db.ContractTerms(ctx, f.finance)
		if err != nil {
			t.Fatal(err)
		}
		// Stepping back to 31 runs the Down of every later migration: each
		// migration after 00032 needs a real Down (00033, 00034 have one).
		if err := db.MigrateTo(ctx, 31); err != nil {
			t.Fatal(err)
		}
		var doc, tiers string
		if err := db.SQL.QueryRowContext(ctx, `SELECT document FROM invoices WHERE id = `+placeholder(db), issued[0].ID).Scan(&doc); err != nil {
			t.Fatal(err)
		}
		if err := db.SQL.QueryRowContext(ctx, `SELECT fee_tiers FROM contract_terms WHERE municipality_cbs = `+placeholder(db), f.cbs).Scan(&tiers); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc, `"issueDate":`) || !strings.Contains(doc, `"netCents":`) || strings.Contains(doc, `"issue_date":`) ||
			!strings.Contains(tiers, `"upToCents":`) {
			t.Fatalf("version 31 should hold the old names: %s %s", doc, tiers)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		after, _, err := db.Invoice(ctx, f.finance, issued[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before, after) {
			t.Fatalf("invoice changed by the migration:\n%+v\n%+v", before, after)
		}
		if again, err := db.ContractTerms(ctx, f.finance); err != nil || !reflect.DeepEqual(terms, again) {
			t.Fatalf("terms changed by the migration: %v\n%+v\n%+v", err, terms, again)
		}
	})
}

func placeholder(db *store.DB) string {
	if db.Dialect == store.Postgres {
		return "$1"
	}
	return "?"
}
