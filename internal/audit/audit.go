// Package audit defines Opstap's tamper-evident audit log: the entry, the
// hash chain that links entries and the verifier that finds the first place
// where the chain is broken. It is pure: storage lives in internal/store.
//
// Every entry carries Hash = HMAC-SHA256(key, canonical(PrevHash, entry)),
// where PrevHash is the Hash of the entry before it (empty for the first).
// Changing any field of an entry breaks its own hash; removing an entry
// leaves a gap in the sequence numbers (which are hashed too); inserting or
// reordering entries breaks the PrevHash link; and removing entries from the
// end is caught by comparing the last entry with the head that the store
// keeps beside the log. The key keeps a person who can write to the
// database, but does not hold the key, from rebuilding a consistent chain
// after tampering.
//
// What the chain cannot see on its own: removing the tail of the log and
// rewinding the head to match needs no key. Publishing the head (sequence
// number and hash) now and then outside the database — for example in the
// output of a periodic verification kept by operations — closes that gap.
//
// # No personal data in clear
//
// The log outlives dossiers and is hard to correct (a change breaks the
// chain), so entries must never hold personal data in clear:
//
//   - CandidateID is the candidate's random id, a pseudonym; never a BSN,
//     name, e-mail address or external reference.
//   - ActorUserID and ActorOrgID are random ids, never e-mail addresses.
//   - Detail is a short technical remark (an error code, a field name, the
//     id of a grant or token, a count) and never holds names, addresses,
//     contact details, dossier content or free text typed by a user.
//   - Purpose is a code or a short fixed phrase chosen by the application
//     (the processing purpose), not free text.
//   - Address is the client IP address of the actor, kept for security
//     monitoring; it is personal data of the actor (not of the candidate)
//     and is covered by the audit log's retention period.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"time"
)

// Events: what happened.
const (
	EventLogin       = "login"        // a successful sign-in
	EventLoginFailed = "login_failed" // a failed sign-in (wrong password, blocked account, …)
	EventLogout      = "logout"       // a sign-out or session end
	EventMFA         = "mfa"          // second-factor enrolment or verification
	EventRead        = "read"         // personal data of a candidate was read
	EventWrite       = "write"        // personal data of a candidate was created, changed or erased
	EventGrantChange = "grant_change" // a role grant was given, changed, blocked or reviewed
	EventUserChange  = "user_change"  // an account was created, changed or blocked
	EventTokenChange = "token_change" // an API token was created or revoked
	EventExport      = "export"       // data left the system (download, report, data portability)
	EventBreakGlass  = "break_glass"  // emergency access outside the normal grants
	EventSearch      = "search"       // a search by name, e-mail or BSN revealed a candidate (or nobody)
	EventVerify      = "verify"       // the audit log itself was verified
	EventOrgChange   = "org_change"   // an organisation was created or changed
	EventPeriod      = "period"       // finance closed or reopened a month
	EventInvoice     = "invoice"      // finance issued an invoice or credit note, recorded its payment, or drew up a settlement
	EventImport      = "import"       // a municipality's history of facts for the figures was imported
)

// Events lists every known event.
var Events = []string{
	EventLogin, EventLoginFailed, EventLogout, EventMFA, EventRead, EventWrite,
	EventGrantChange, EventUserChange, EventTokenChange, EventExport,
	EventBreakGlass, EventVerify, EventOrgChange, EventPeriod, EventSearch, EventInvoice, EventImport,
}

// Outcomes: how it ended.
const (
	OutcomeAllowed = "allowed" // an access decision let the request through
	OutcomeDenied  = "denied"  // an access decision refused the request
	OutcomeFailed  = "failed"  // the attempt failed (e.g. wrong password, error)
	OutcomeOK      = "ok"      // an action without an access decision succeeded
)

// Outcomes lists every known outcome.
var Outcomes = []string{OutcomeAllowed, OutcomeDenied, OutcomeFailed, OutcomeOK}

// Entry is one line of the audit log. See the package documentation for
// what its fields may hold: never personal data in clear.
type Entry struct {
	Seq         int64     `json:"seq"`           // position in the chain, from 1, without gaps
	ID          string    `json:"id"`            // random UUID
	At          time.Time `json:"at"`            // UTC, microsecond precision
	ActorUserID string    `json:"actor_user_id"` // user id of the actor; empty for the system
	ActorRole   string    `json:"actor_role"`    // the role the actor acted in
	ActorOrgID  string    `json:"actor_org_id"`  // the actor's organisation id
	Event       string    `json:"event"`         // one of the Event constants
	CandidateID string    `json:"candidate_id"`  // the candidate's random id (a pseudonym), if any
	Category    string    `json:"category"`      // data category (opstap.Category), if any
	Action      string    `json:"action"`        // read or write (opstap.Action), if any
	Purpose     string    `json:"purpose"`       // processing purpose, a code
	Outcome     string    `json:"outcome"`       // one of the Outcome constants
	Address     string    `json:"address"`       // the actor's client IP address
	Detail      string    `json:"detail"`        // technical remark, free of names
	PrevHash    string    `json:"prev_hash"`     // Hash of the entry before, "" for the first
	Hash        string    `json:"hash"`          // hex HMAC-SHA256, see Sum
}

// Check reports whether the entry names a known event and outcome.
func (e Entry) Check() error {
	if !known(Events, e.Event) {
		return fmt.Errorf("audit: unknown event %q", e.Event)
	}
	if !known(Outcomes, e.Outcome) {
		return fmt.Errorf("audit: unknown outcome %q", e.Outcome)
	}
	return nil
}

func known(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Normalize returns t as it is stored and hashed: in UTC, truncated to
// microseconds, the precision PostgreSQL keeps, so that the time read back
// from either engine hashes the same as the time written.
func Normalize(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// domain separates this encoding from any other use of the key; change the
// version when the encoding changes.
const domain = "opstap-audit-v1"

// Sum returns the hex HMAC-SHA256 of e chained after prevHash. The message
// is an unambiguous encoding: a version tag, then every field as an 8-byte
// big-endian length and its bytes, in a fixed order: Seq (decimal),
// prevHash, ID, At (UTC, RFC 3339 with nanoseconds), ActorUserID, ActorRole,
// ActorOrgID, Event, CandidateID, Category, Action, Purpose, Outcome,
// Address, Detail. e.PrevHash and e.Hash are ignored. At is hashed as given;
// Chain normalises it first (see Normalize).
func Sum(key []byte, prevHash string, e Entry) string {
	return sum(hmac.New(sha256.New, key), prevHash, e)
}

// sum computes Sum with a reusable MAC.
func sum(mac hash.Hash, prevHash string, e Entry) string {
	mac.Reset()
	var buf [sha256.Size]byte
	field := func(s string) {
		mac.Write(binary.BigEndian.AppendUint64(buf[:0], uint64(len(s))))
		mac.Write([]byte(s))
	}
	field(domain)
	field(strconv.FormatInt(e.Seq, 10))
	field(prevHash)
	field(e.ID)
	field(e.At.UTC().Format(time.RFC3339Nano))
	field(e.ActorUserID)
	field(e.ActorRole)
	field(e.ActorOrgID)
	field(e.Event)
	field(e.CandidateID)
	field(e.Category)
	field(e.Action)
	field(e.Purpose)
	field(e.Outcome)
	field(e.Address)
	field(e.Detail)
	return hex.EncodeToString(mac.Sum(buf[:0]))
}

// Chain links entries after the entry with sequence number seq and hash
// prev (0 and "" for an empty log): it normalises each At, numbers the
// entries seq+1, seq+2, … and fills PrevHash and Hash, in place. The last
// entry's Seq and Hash are the new head.
func Chain(key []byte, prev string, seq int64, entries []Entry) {
	mac := hmac.New(sha256.New, key)
	for i := range entries {
		e := &entries[i]
		seq++
		e.Seq = seq
		e.At = Normalize(e.At)
		e.PrevHash = prev
		e.Hash = sum(mac, prev, *e)
		prev = e.Hash
	}
}

// BrokenError reports the first place where the chain is broken: Seq names
// the first entry that is changed, missing or out of place, and Reason says
// how.
type BrokenError struct {
	Seq    int64
	Reason string
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", e.Seq, e.Reason)
}

// AsBroken returns the *BrokenError in err's chain, or nil.
func AsBroken(err error) *BrokenError {
	var b *BrokenError
	if errors.As(err, &b) {
		return b
	}
	return nil
}

// Verifier checks a log fed to it in sequence order, from the first entry.
// The zero Verifier is not usable; call NewVerifier.
type Verifier struct {
	mac  hash.Hash
	seq  int64  // Seq of the last entry accepted
	hash string // Hash of the last entry accepted
}

// NewVerifier returns a verifier for a log chained with key.
func NewVerifier(key []byte) *Verifier {
	return &Verifier{mac: hmac.New(sha256.New, key)}
}

// Checked returns how many entries have been accepted.
func (v *Verifier) Checked() int64 { return v.seq }

// Add checks the next entry. It returns a *BrokenError for the first
// entry that does not follow: a gap in the sequence (entries removed), a
// PrevHash that does not match the entry before (an entry inserted, or
// entries reordered), or a Hash that does not match the content (the entry
// was changed or forged, or the key is wrong). After an error the verifier
// must not be used further.
func (v *Verifier) Add(e Entry) error {
	want := v.seq + 1
	switch {
	case e.Seq > want:
		if e.Seq == want+1 {
			return &BrokenError{Seq: want, Reason: fmt.Sprintf("entry %d is missing (removed); the next entry is %d", want, e.Seq)}
		}
		return &BrokenError{Seq: want, Reason: fmt.Sprintf("entries %d to %d are missing (removed); the next entry is %d", want, e.Seq-1, e.Seq)}
	case e.Seq < want:
		return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("entry %d appears after entry %d (duplicated or out of order)", e.Seq, v.seq)}
	case e.PrevHash != v.hash:
		return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("previous hash does not match entry %d (an entry was inserted, or entries were reordered)", v.seq)}
	case !hmac.Equal([]byte(sum(v.mac, e.PrevHash, e)), []byte(e.Hash)):
		return &BrokenError{Seq: e.Seq, Reason: "hash does not match the content (the entry was changed or forged, or the key is wrong)"}
	}
	v.seq, v.hash = e.Seq, e.Hash
	return nil
}

// Finish checks the entries added against the head, the sequence number and
// hash of the last entry that the store keeps beside the log, so that
// entries removed from the end are detected. It returns a *BrokenError.
func (v *Verifier) Finish(headSeq int64, headHash string) error {
	switch {
	case v.seq < headSeq:
		if headSeq == v.seq+1 {
			return &BrokenError{Seq: headSeq, Reason: fmt.Sprintf("the last entry %d is missing (the tail was removed)", headSeq)}
		}
		return &BrokenError{Seq: v.seq + 1, Reason: fmt.Sprintf("entries %d to %d are missing at the end (the tail was removed)", v.seq+1, headSeq)}
	case v.seq > headSeq:
		return &BrokenError{Seq: headSeq + 1, Reason: fmt.Sprintf("entries %d to %d lie beyond the head %d (appended outside the log, or the head was rewound)", headSeq+1, v.seq, headSeq)}
	case v.hash != headHash:
		return &BrokenError{Seq: headSeq, Reason: "the head's hash does not match the last entry (the entry or the head was changed)"}
	}
	return nil
}
