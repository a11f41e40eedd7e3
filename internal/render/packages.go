package render

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/opstap/opstap/internal/csvsafe"
	"github.com/opstap/opstap/internal/store"
)

// zipFile is one file of a ZIP package.
type zipFile struct {
	name string
	data []byte
}

func writeZip(w io.Writer, at time.Time, files []zipFile) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: at})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

func csvFile(name string, header []string, rows [][]string) (zipFile, error) {
	var b bytes.Buffer
	cw := csvsafe.NewWriter(&b)
	if err := cw.Write(header); err != nil {
		return zipFile{}, err
	}
	if err := cw.WriteAll(rows); err != nil {
		return zipFile{}, err
	}
	return zipFile{name, b.Bytes()}, nil
}

func iso(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func isoPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return iso(*t)
}

// auditReadme describes the audit package for the controller's auditor.
const auditReadme = `Opstap audit package for a commissioner (controller)
=====================================================

This package is what the provider, as processor, gives its controller to
audit its duties [processor agreement (bewerkersovereenkomst) art 3 and 5].
Candidates appear by their random id only: ask the provider to resolve an
id when the audit needs it. Times are UTC in RFC 3339.

package.json     everything below in one JSON document
candidates.csv   id of every candidate of the commissioner
access_log.csv   every audit log entry about those candidates: seq, at,
                 actor_user_id, actor_role, actor_org_id, event
                 (read, write, break_glass, export, ...), candidate_id,
                 category, action, purpose, outcome (allowed, denied, ok,
                 failed). Entries are hash-chained in the provider's log.
grants.csv       every right (grant) of the users who can reach these
                 candidates: provider staff in roles that read candidate
                 data, and the commissioner's own users; with granted,
                 expiry, blocked and last-reviewed moments and the review
                 state (ok, due, overdue). Rights are re-attested at least
                 yearly and blocked when not re-attested in time.
reviews.csv      the review history of those rights: re-attested, blocked
                 in a review, or blocked because the review was overdue.
breaches.csv     data breaches that touched these candidates: discovered,
                 the 72-hour deadline for notifying the Autoriteit
                 Persoonsgegevens, when it was notified, status, data
                 categories, how many of these candidates, and when this
                 commissioner was informed.
`

// AuditPackageZip writes a commissioner's audit package as a ZIP with
// JSON, CSV and a README [003 bewerkers art 3].
func AuditPackageZip(w io.Writer, p *store.AuditPackage) error {
	js, err := json.MarshalIndent(p, "", " ")
	if err != nil {
		return err
	}
	files := []zipFile{{"README.txt", []byte(auditReadme)}, {"package.json", js}}
	var cands, log, grants, reviews, breaches [][]string
	for _, id := range p.CandidateIDs {
		cands = append(cands, []string{id})
	}
	for _, e := range p.AccessLog {
		log = append(log, []string{strconv.FormatInt(e.Seq, 10), iso(e.At), e.ActorUserID, e.ActorRole, e.ActorOrgID, e.Event, e.CandidateID, e.Category, e.Action, e.Purpose, e.Outcome})
	}
	for _, g := range p.Grants {
		grants = append(grants, []string{g.ID, g.UserID, g.UserName, g.OrgName, string(g.Role), string(g.Access), iso(g.GrantedAt), isoPtr(g.ExpiresAt), isoPtr(g.BlockedAt), iso(g.ReviewedAt), g.State})
	}
	for _, r := range p.Reviews {
		reviews = append(reviews, []string{r.GrantID, r.Outcome, r.ByUserID, iso(r.At)})
	}
	for _, b := range p.Breaches {
		cats := make([]byte, 0, 64)
		for i, c := range b.Categories {
			if i > 0 {
				cats = append(cats, ';')
			}
			cats = append(cats, c...)
		}
		breaches = append(breaches, []string{b.ID, iso(b.DiscoveredAt), iso(b.Deadline), isoPtr(b.APNotifiedAt), string(b.Status), string(cats), strconv.Itoa(b.Candidates), isoPtr(b.InformedAt)})
	}
	for _, c := range []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"candidates.csv", []string{"candidate_id"}, cands},
		{"access_log.csv", []string{"seq", "at", "actor_user_id", "actor_role", "actor_org_id", "event", "candidate_id", "category", "action", "purpose", "outcome"}, log},
		{"grants.csv", []string{"grant_id", "user_id", "user_name", "organisation", "role", "access", "granted_at", "expires_at", "blocked_at", "reviewed_at", "review_state"}, grants},
		{"reviews.csv", []string{"grant_id", "outcome", "by_user_id", "at"}, reviews},
		{"breaches.csv", []string{"breach_id", "discovered_at", "deadline", "ap_notified_at", "status", "categories", "candidates", "informed_at"}, breaches},
	} {
		f, err := csvFile(c.name, c.header, c.rows)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	return writeZip(w, p.GeneratedAt, files)
}

// handoverReadme points to the format description.
const handoverReadme = `Opstap hand-over of a commissioner's data (format opstap-handover/2)
=================================================================

handover.json holds every candidate of the commissioner with their data,
dossier notes, trajectories, reports and documents (base64) in clear, for the continuation of their trajectories after the end of the
contract [service agreement art 7.5 lid 2]. The format is described in
docs/handover-format.md of Opstap. Keep this file encrypted at rest and
delete it once imported: it contains personal data, including BSNs.

Import into an Opstap installation with:
    opstap handover import --in FILE
`

// HandoverName is the JSON file inside a hand-over ZIP.
const HandoverName = "handover.json"

// HandoverZip writes a hand-over as a ZIP with the JSON and a README.
func HandoverZip(w io.Writer, h *store.Handover) error {
	js, err := json.MarshalIndent(h, "", " ")
	if err != nil {
		return err
	}
	return writeZip(w, h.ExportedAt, []zipFile{{"README.txt", []byte(handoverReadme)}, {HandoverName, js}})
}

// maxHandover bounds the JSON read from a hand-over ZIP (a guard against
// a decompression bomb).
const maxHandover = 4 << 30

// ReadHandoverZip reads the hand-over from a ZIP.
func ReadHandoverZip(r io.ReaderAt, size int64) (*store.Handover, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, err
	}
	f, err := zr.Open(HandoverName)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var h store.Handover
	dec := json.NewDecoder(io.LimitReader(f, maxHandover))
	if err := dec.Decode(&h); err != nil {
		return nil, err
	}
	return &h, nil
}
