package auth

import "time"

// SessionUsable reports whether a session may act on the user's behalf:
// its second factor is done, or the account needs none
// (NeedsSecondFactor).
func SessionUsable(secondFactorRequired, secondFactorDone bool) bool {
	return secondFactorDone || !secondFactorRequired
}

// Throttle is the sign-in throttle: failed attempts are counted over a
// sliding window, per account and per client address, so that neither
// guessing one account's password nor spraying many accounts from one
// address gets far (docs/security.md). It is configuration (opstap serve
// --login-throttle-window, --login-failures-per-account,
// --login-failures-per-address): many users behind one address may need a
// higher address limit. A zero field means its default.
type Throttle struct {
	Window  time.Duration // how long a failure counts
	Account int           // failures of one account within Window that lock it
	Address int           // failures from one address within Window that lock it
}

// The defaults: 5 failures per account and 30 per address in 15 minutes.
const (
	defaultThrottleWindow  = 15 * time.Minute
	defaultAccountFailures = 5
	defaultAddressFailures = 30
)

// OrDefaults returns t with each unset bound replaced by its default.
func (t Throttle) OrDefaults() Throttle {
	if t.Window <= 0 {
		t.Window = defaultThrottleWindow
	}
	if t.Account <= 0 {
		t.Account = defaultAccountFailures
	}
	if t.Address <= 0 {
		t.Address = defaultAddressFailures
	}
	return t
}

// Refuses reports whether a sign-in is refused, given the failures of the
// account and of the client address within the window: either reaching its
// limit locks, also the right password, until failures age out of the
// window.
func (t Throttle) Refuses(accountFailures, addressFailures int) bool {
	t = t.OrDefaults()
	return accountFailures >= t.Account || addressFailures >= t.Address
}
