package candidate

import (
	"strconv"
	"strings"
	"testing"

	"github.com/opstap/opstap"
)

// FuzzValidBSN: a BSN that passes has nine digits, and changing any one
// digit makes it fail (the eleven-test catches every single-digit error).
func FuzzValidBSN(f *testing.F) {
	for _, s := range []string{"111222333", "123456782", "000000000", "12345678", "1112223330", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidBSN(s) {
			return
		}
		if len(s) != 9 || strings.Trim(s, "0123456789") != "" {
			t.Fatalf("%q passes", s)
		}
		for i := range 9 {
			for d := byte('0'); d <= '9'; d++ {
				if d == s[i] {
					continue
				}
				if m := s[:i] + string(d) + s[i+1:]; ValidBSN(m) {
					t.Fatalf("%q and %q both pass", s, m)
				}
			}
		}
	})
}

// FuzzValidIBAN: an IBAN that passes normalises to 15–34 letters and
// digits (18 for NL), and changing any one digit makes it fail (mod 97
// catches every single-character substitution).
func FuzzValidIBAN(f *testing.F) {
	for _, s := range []string{"NL91ABNA0417164300", "nl91 abna 0417 1643 00", "NL91ABNA0417164301", "DE89370400440532013000", "", "NL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidIBAN(s) {
			return
		}
		n := NormaliseIBAN(s)
		if len(n) < 15 || len(n) > 34 || strings.Trim(n, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" || (strings.HasPrefix(n, "NL") && len(n) != 18) {
			t.Fatalf("%q passes as %q", s, n)
		}
		for i := 2; i < len(n); i++ {
			if n[i] < '0' || n[i] > '9' {
				continue
			}
			m := n[:i] + string('0'+(n[i]-'0'+1)%10) + n[i+1:]
			if ValidIBAN(m) {
				t.Fatalf("%q and %q both pass", n, m)
			}
		}
	})
}

// FuzzBasicPostcode: a postcode that Basic.Validate accepts is stored in
// the one written form "1234 AB", and validating that again keeps it.
func FuzzBasicPostcode(f *testing.F) {
	for _, s := range []string{"1234 AB", "1234AB", "0123 AB", "1234 ab", "1234  AB", "", "12345", "1234 SA", "1234ss"} {
		f.Add(s)
	}
	today := opstap.Date{Year: 2026, Month: 1, Day: 5}
	f.Fuzz(func(t *testing.T, s string) {
		b := Basic{FirstName: "A", LastName: "B", BirthDate: opstap.Date{Year: 1990, Month: 1, Day: 1}, Postcode: s}
		if err := b.Validate(today); err != nil || b.Postcode == "" {
			return
		}
		if len(b.Postcode) != 7 || b.Postcode[4] != ' ' || b.Postcode[0] == '0' || unusedLetters[b.Postcode[5:]] {
			t.Fatalf("%q stored as %q", s, b.Postcode)
		}
		again := b.Postcode
		if err := b.Validate(today); err != nil || b.Postcode != again {
			t.Fatalf("%q: second validation %v %q", again, err, b.Postcode)
		}
	})
}

// FuzzParseClientNumber: a number read is positive, and reads back the
// same in each way staff type it.
func FuzzParseClientNumber(f *testing.F) {
	for _, s := range []string{"1042", "K-1042", "k12", " K-7 ", "0", "K-", "+5", "1234567890123", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseClientNumber(s)
		if !ok {
			if n != 0 {
				t.Fatalf("%q: refused but %d", s, n)
			}
			return
		}
		if n <= 0 {
			t.Fatalf("%q: %d is not positive", s, n)
		}
		for _, typed := range []string{strconv.FormatInt(n, 10), "K-" + strconv.FormatInt(n, 10), "k" + strconv.FormatInt(n, 10)} {
			if m, ok := ParseClientNumber(typed); !ok || m != n {
				t.Fatalf("%q read as %d, but %q as %d, %v", s, n, typed, m, ok)
			}
		}
	})
}
