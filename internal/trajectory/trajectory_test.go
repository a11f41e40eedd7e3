package trajectory

import (
	"testing"
	"time"

	"github.com/opstap/opstap"
)

func field(err error) string {
	if e := opstap.AsError(err); e != nil {
		return e.Code + ":" + e.Field
	}
	return ""
}

func TestLifeCycle(t *testing.T) {
	tests := []struct {
		from Status
		act  Action
		want Status // "" when refused
	}{
		{StatusRegistered, ActStartIntake, StatusIntake},
		{StatusRegistered, ActActivate, ""},
		{StatusIntake, ActActivate, StatusActive},
		{StatusActive, ActSuspend, StatusSuspended},
		{StatusIntake, ActSuspend, ""},
		{StatusSuspended, ActResume, StatusActive},
		{StatusActive, ActResume, ""},
		{StatusRegistered, ActEnd, StatusEnded},
		{StatusSuspended, ActEnd, StatusEnded},
		{StatusEnded, ActEnd, ""},
		{StatusEnded, ActResume, ""},
		{StatusActive, "jump", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"/"+string(tt.act), func(t *testing.T) {
			got, err := Next(tt.from, tt.act)
			if got != tt.want || (tt.want == "") != (err != nil) {
				t.Fatalf("Next = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestEndValidate(t *testing.T) {
	tests := []struct {
		name string
		end  End
		want string
	}{
		{"regular work with contract and hours", End{Reason: EndRegularWork, ContractKind: ContractPermanent, HoursPerWeek: 32}, ""},
		{"regular work without contract", End{Reason: EndRegularWork, HoursPerWeek: 32}, "invalid:contract_kind"},
		{"regular work without hours", End{Reason: EndRegularWork, ContractKind: ContractFixedTerm}, "invalid:hours_per_week"},
		{"regular work 61 hours", End{Reason: EndRegularWork, ContractKind: ContractFixedTerm, HoursPerWeek: 61}, "invalid:hours_per_week"},
		{"end of term", End{Reason: EndOfTerm}, ""},
		{"end of term with hours", End{Reason: EndOfTerm, HoursPerWeek: 20}, "invalid:contract_kind"},
		{"unknown reason", End{Reason: "bored"}, "invalid:reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := field(tt.end.Validate()); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLateAbsence_000art8: an absence is reported at the latest 24 hours
// before the start, on the Amsterdam clock, also across summer time.
func TestLateAbsence_000art8(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, opstap.Amsterdam)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name            string
		start, reported string
		late            bool
	}{
		{"two days before", "2025-06-10 10:00", "2025-06-08 10:00", false},
		{"exactly 24 hours before is on time", "2025-06-10 10:00", "2025-06-09 10:00", false},
		{"one minute late", "2025-06-10 10:00", "2025-06-09 10:01", true},
		{"after the start", "2025-06-10 10:00", "2025-06-10 11:00", true},
		// Summer time starts 30 March 2025 02:00: from 29 March 10:00 to 30 March
		// 10:00 only 23 hours pass, yet the clock says a day.
		{"spring forward: day before same clock time on time", "2025-03-30 10:00", "2025-03-29 10:00", false},
		{"spring forward: 23.5 elapsed hours is late", "2025-03-30 10:00", "2025-03-29 10:30", true},
		// Winter time starts 26 October 2025 03:00: 25 hours pass in that day.
		{"fall back: 24.5 elapsed hours but after the clock deadline", "2025-10-26 10:00", "2025-10-25 10:30", true},
		{"fall back: day before same clock time on time", "2025-10-26 10:00", "2025-10-25 10:00", false},
		{"start just after midnight", "2025-06-10 00:30", "2025-06-09 00:31", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The zone of the inputs must not matter: storage is UTC.
			if got := Late(at(tt.start).UTC(), at(tt.reported).UTC()); got != tt.late {
				t.Fatalf("late = %v, want %v (deadline %s)", got, tt.late, ReportDeadline(at(tt.start)))
			}
		})
	}
}

func TestAbsenceReport_000art8(t *testing.T) {
	ap := Appointment{ID: "a", StartsAt: time.Now(), Kind: AppointmentMeeting, Location: "Almere"}
	if got := field(CheckAbsence(ap, "")); got != "invalid:reason" {
		t.Fatalf("empty reason: %q", got)
	}
	if err := CheckAbsence(ap, "ziek"); err != nil {
		t.Fatal(err)
	}
	ap.Absence = &Absence{Reason: "ziek"}
	if got := opstap.ErrorCode(CheckAbsence(ap, "ziek")); got != opstap.ECONFLICT {
		t.Fatalf("second report: %q", got)
	}
}

// caseWith builds a case of kind k with the given steps recorded.
func caseWith(k NCKind, steps ...StepRecord) Noncompliance {
	return Noncompliance{ID: "nc", Kind: k, Steps: steps}
}

var (
	addressed  = StepRecord{Step: StepAddressed}
	chance     = StepRecord{Step: StepChanceGiven, Deadline: opstap.Date{Year: 2025, Month: 6, Day: 1}}
	informed   = StepRecord{Step: StepCommissionerInformed}
	toldSusp   = StepRecord{Step: StepCandidateInformed, Measure: MeasureSuspend}
	toldEnding = StepRecord{Step: StepCandidateInformed, Measure: MeasureEnd}
)

// TestNoncomplianceSteps_000art9: the commissioner is informed only after
// the candidate was addressed and given the chance to comply.
func TestNoncomplianceSteps_000art9(t *testing.T) {
	tests := []struct {
		name string
		c    Noncompliance
		in   StepRecord
		want string
	}{
		{"address", caseWith(NCUnreachable), addressed, ""},
		{"chance before addressing", caseWith(NCUnreachable), chance, "invalid:step"},
		{"chance without deadline", caseWith(NCUnreachable, addressed), StepRecord{Step: StepChanceGiven}, "invalid:deadline"},
		{"chance", caseWith(NCUnreachable, addressed), chance, ""},
		{"inform commissioner with nothing recorded", caseWith(NCObstructing), informed, "invalid:step"},
		{"inform commissioner after addressing only", caseWith(NCObstructing, addressed), informed, "invalid:step"},
		{"inform commissioner after both", caseWith(NCObstructing, addressed, chance), informed, ""},
		{"step twice", caseWith(NCObstructing, addressed), addressed, "conflict:"},
		{"candidate informed without measure", caseWith(NCObstructing), StepRecord{Step: StepCandidateInformed}, "invalid:measure"},
		{"unknown step", caseWith(NCObstructing), StepRecord{Step: "shout"}, "invalid:step"},
		{"after the measure", Noncompliance{Kind: NCObstructing, MeasureTaken: MeasureEnd}, addressed, "conflict:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := field(tt.c.CanRecord(tt.in)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func active(cases ...Noncompliance) *Trajectory {
	return &Trajectory{ID: "t", Status: StatusActive, CoachUserID: "coach", Cases: cases}
}

// TestMeasure_000art9_000art10: suspension or termination on grounds of
// non-compliance only after the candidate was informed of that measure;
// for article 9 also after the commissioner was informed.
func TestMeasure_000art9_000art10(t *testing.T) {
	susp := func(ground Ground) Request {
		return Request{Action: ActSuspend, Ground: ground, NoncomplianceID: "nc"}
	}
	end := func(r EndReason) Request {
		return Request{Action: ActEnd, End: &End{Reason: r}, NoncomplianceID: "nc"}
	}
	tests := []struct {
		name string
		t    *Trajectory
		r    Request
		want string
	}{
		{"art 9 suspend, full procedure", active(caseWith(NCUnreachable, addressed, chance, informed, toldSusp)), susp(GroundNoncompliance), ""},
		{"art 9 suspend, candidate not informed", active(caseWith(NCUnreachable, addressed, chance, informed)), susp(GroundNoncompliance), "invalid:noncompliance_id"},
		{"art 9 suspend, commissioner not informed", active(caseWith(NCUnreachable, addressed, chance, toldSusp)), susp(GroundNoncompliance), "invalid:noncompliance_id"},
		{"art 9 suspend, no chance given", active(caseWith(NCUnreachable, addressed, toldSusp)), susp(GroundNoncompliance), "invalid:noncompliance_id"},
		{"art 9 suspend, informed of the end instead", active(caseWith(NCUnreachable, addressed, chance, informed, toldEnding)), susp(GroundNoncompliance), "invalid:noncompliance_id"},
		{"art 9 suspend, no case named", active(), Request{Action: ActSuspend, Ground: GroundNoncompliance}, "invalid:noncompliance_id"},
		{"art 9 end, full procedure", active(caseWith(NCObstructing, addressed, chance, informed, toldEnding)), end(EndByProviderNoncompliance), ""},
		{"art 9 end, candidate not informed", active(caseWith(NCObstructing, addressed, chance, informed)), end(EndByProviderNoncompliance), "invalid:noncompliance_id"},
		{"art 9 end on an art 10 case", active(caseWith(NCIncorrectInformation, toldEnding)), end(EndByProviderNoncompliance), "invalid:noncompliance_id"},
		{"art 10 end after informing the candidate", active(caseWith(NCIncorrectInformation, toldEnding)), end(EndByProviderIncorrectInfo), ""},
		{"art 10 end before informing the candidate", active(caseWith(NCIncorrectInformation)), end(EndByProviderIncorrectInfo), "invalid:noncompliance_id"},
		{"art 10 suspend after informing", active(caseWith(NCIncorrectInformation, toldSusp)), susp(GroundIncorrectInformation), ""},
		{"measure already taken", active(Noncompliance{ID: "nc", Kind: NCIncorrectInformation, Steps: []StepRecord{toldSusp}, MeasureTaken: MeasureSuspend}), susp(GroundIncorrectInformation), "invalid:noncompliance_id"},
		{"end of term needs no case", active(), Request{Action: ActEnd, End: &End{Reason: EndOfTerm}}, ""},
		{"end without reason", active(), Request{Action: ActEnd}, "invalid:reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.t.Check(tt.r); field(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestSuspension_000art11: suspension for illness, pregnancy or special
// circumstances only after the intent was discussed with both the
// candidate and the commissioner.
func TestSuspension_000art11(t *testing.T) {
	cand := Talk{Party: PartyCandidate}
	comm := Talk{Party: PartyCommissioner}
	tests := []struct {
		name   string
		ground Ground
		talks  []Talk
		want   string
	}{
		{"illness, no talks", GroundIllness, nil, "invalid:ground"},
		{"illness, candidate only", GroundIllness, []Talk{cand}, "invalid:ground"},
		{"pregnancy, commissioner only", GroundPregnancy, []Talk{comm}, "invalid:ground"},
		{"special circumstances, both", GroundSpecialCircumstances, []Talk{comm, cand}, ""},
		{"illness, both", GroundIllness, []Talk{cand, comm}, ""},
		{"unknown ground", "holiday", []Talk{cand, comm}, "invalid:ground"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := active()
			tr.Talks = tt.talks
			if _, err := tr.Check(Request{Action: ActSuspend, Ground: tt.ground}); field(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	today := opstap.Date{Year: 2025, Month: 6, Day: 1}
	if err := (Talk{Party: PartyCandidate, DiscussedOn: today.AddDays(1)}).Validate(today); field(err) != "invalid:discussed_on" {
		t.Fatalf("talk in the future: %v", err)
	}
}

// TestCandidateEnd_000art7: the candidate ends participation only after
// acknowledging the warning about their benefit or wage.
func TestCandidateEnd_000art7(t *testing.T) {
	today := opstap.Date{Year: 2025, Month: 6, Day: 1}
	tests := []struct {
		name   string
		status Status
		ce     CandidateEnd
		want   string
	}{
		{"without acknowledgement", StatusActive, CandidateEnd{}, "invalid:warning_acknowledged"},
		{"acknowledged", StatusActive, CandidateEnd{WarningAcknowledged: true}, ""},
		{"acknowledged while suspended", StatusSuspended, CandidateEnd{WarningAcknowledged: true}, ""},
		{"already ended", StatusEnded, CandidateEnd{WarningAcknowledged: true}, "conflict:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &Trajectory{Status: tt.status}
			r, err := tr.CheckCandidateEnd(tt.ce, today)
			if field(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if r.End.Reason != EndByCandidate || r.End.On != today {
				t.Fatalf("request %+v", r.End)
			}
		})
	}
}

func TestStartIntakeNeedsCoach(t *testing.T) {
	tr := &Trajectory{Status: StatusRegistered}
	if _, err := tr.Check(Request{Action: ActStartIntake}); field(err) != "invalid:coach_user_id" {
		t.Fatalf("got %v", err)
	}
}
