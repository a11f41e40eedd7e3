package auth

import (
	"strings"
	"time"

	"github.com/opstap/opstap"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// NeedsSecondFactor reports whether an account must pass TOTP before
// using a session: everyone whose active grants read dossiers, and everyone
// who enrolled.
func NeedsSecondFactor(grants []opstap.Grant, enrolled bool, now time.Time) bool {
	if enrolled {
		return true
	}
	for _, g := range grants {
		if g.Active(now) && g.Role.ReadsDossiers() {
			return true
		}
	}
	return false
}

// Issuer is the name authenticator apps show beside the code.
const Issuer = "Opstap"

const totpPeriod = 30

// NewTOTP returns a new TOTP key for the account: its base32 secret and the
// otpauth:// URL that authenticator apps read from a QR code.
func NewTOTP(account string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: account})
}

// TOTPStep is a 30-second TOTP time step number.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// CheckTOTP checks code against secret at now, allowing one step of clock
// drift either way. It returns the matched step so the caller can refuse
// a step at or before the last one used: a code works once.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != 6 {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		s := TOTPStep(now) + d
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totp.ValidateOpts{
			Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
		})
		if err == nil && want == code {
			return s, true
		}
	}
	return 0, false
}

// TOTPCode returns the current code for secret; the demo shows it so a
// newcomer can try every role without an authenticator app.
func TOTPCode(secret string, now time.Time) string {
	c, _ := totp.GenerateCode(secret, now)
	return c
}
