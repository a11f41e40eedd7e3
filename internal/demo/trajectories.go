package demo

import (
	"context"
	"time"

	"github.com/opstap/opstap"
	"github.com/opstap/opstap/internal/store"
	"github.com/opstap/opstap/internal/trajectory"
)

func init() { loaders = append(loaders, loadTrajectories) }

// loadTrajectories gives the first demo candidate (Lisa Hendriks, whose
// portal login is the demo candidate account) an active re-integration
// trajectory coached by the demo coach, with two appointments next week.
// It acts as the coach, so the access policy and the audit log see the
// same steps a real coach takes.
func loadTrajectories(ctx context.Context, db *store.DB, d *Data) error {
	u, err := db.FindUserByID(ctx, d.Users["coach@demo.opstap.nl"])
	if err != nil {
		return err
	}
	coach := u.Actor(db.Now(), "")
	t, err := db.CreateTrajectory(ctx, coach, d.Candidates[0], store.NewTrajectory{Kind: trajectory.KindReintegration})
	if err != nil {
		return err
	}
	for _, act := range []trajectory.Action{trajectory.ActStartIntake, trajectory.ActActivate} {
		if err := db.Transition(ctx, coach, t.ID, trajectory.Request{Action: act}); err != nil {
			return err
		}
	}
	day := opstap.DateOf(db.Now()).AddDays(7)
	for _, ap := range []trajectory.Appointment{
		{StartsAt: trajAt(day, 10, 0), Kind: trajectory.AppointmentMeeting, Location: "Opstap Almere, Stationsplein 10"},
		{StartsAt: trajAt(day.AddDays(2), 13, 30), Kind: trajectory.AppointmentWorkshop, Location: "Workshop sollicitatiegesprek, Stadhuisplein 1 Almere"},
	} {
		if _, err := db.AddAppointment(ctx, coach, t.ID, ap); err != nil {
			return err
		}
	}
	return nil
}

// trajAt is a clock time on a date in Amsterdam.
func trajAt(d opstap.Date, hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, opstap.Amsterdam)
}
