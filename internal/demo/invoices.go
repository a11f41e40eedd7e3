package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/invoice"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/ubl"
)

func init() { loaders = append(loaders, loadBillingParties) }

// loadBillingParties gives the demo's provider, municipalities and client
// employers invoicing details, so finance can issue a month's invoices
// right away. The numbers are made up (valid in form, the IBAN the
// standard's example); Almere's OIN is written as an OIN is built.
func loadBillingParties(ctx context.Context, db *store.DB, d *Data) error {
	if !d.Fresh {
		return nil
	}
	sys := &opstap.Actor{System: true}
	parties := map[string]invoice.Party{
		"provider": {LegalID: "12345678", LegalScheme: ubl.KvK, VATNumber: "NL001234567B01", Street: "Stationsplein", HouseNumber: "1",
			PostalCode: "1315 KT", City: "Almere", Email: "financien@demo.opstap.nl", IBAN: "NL91ABNA0417164300"},
		"almere": {LegalID: "00000001002220647000", LegalScheme: ubl.OIN, Street: "Stadhuisplein", HouseNumber: "1", PostalCode: "1315 HR",
			City: "Almere", BuyerReference: "Contract flexplaatsingen"},
		"lelystad": {LegalID: "00000001001921583000", LegalScheme: ubl.OIN, Street: "Stadhuisplein", HouseNumber: "2", PostalCode: "8232 ZX",
			City: "Lelystad", BuyerReference: "Contract flexplaatsingen"},
		"bakkerij": {LegalID: "87654321", LegalScheme: ubl.KvK, Street: "Stationsstraat", HouseNumber: "1", PostalCode: "1315 AA", City: "Almere"},
		"groen":    {LegalID: "76543210", LegalScheme: ubl.KvK, VATNumber: "NL009876543B02", Street: "Hoge Vaart", HouseNumber: "10", PostalCode: "1316 AB", City: "Almere"},
	}
	for key, p := range parties {
		if err := db.SetBillingParty(ctx, sys, d.Orgs[key], p); err != nil {
			return err
		}
	}
	return nil
}
