package demo

import (
	"context"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/complaint"
	"github.com/opstap/opstap/internal/store"
)

func init() { loaders = append(loaders, loadComplaints) }

// loadComplaints files one complaint of the first demo candidate, received
// by telephone two weeks ago and not yet acknowledged, so that the complaints
// desk's queue shows an overdue item and the candidate a notification.
func loadComplaints(ctx context.Context, db *store.DB, d *Data) error {
	if len(d.Candidates) == 0 {
		return nil
	}
	sys := &opstap.Actor{System: true}
	_, err := db.FileComplaint(ctx, sys, d.Candidates[0], complaint.New{
		Channel:     complaint.ChannelPhone,
		Subject:     "Afspraak niet nagekomen",
		Description: "Mijn coach is twee keer niet op een afgesproken gesprek verschenen en heeft niet laten weten waarom.",
		ReceivedOn:  opstap.DateOf(db.Now()).AddDays(-14),
	})
	return err
}
