package vault

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// testKey returns a fixed, distinct 32-byte key for a seed, base64-encoded.
func testKey(seed byte) string {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = seed + byte(i)*7 + 1
	}
	return base64.StdEncoding.EncodeToString(k)
}

// Keyrings of the rotation story: "1:a", then "1:a,2:b", then "2:b".
var (
	keyA = testKey(10)
	keyB = testKey(20)
)

func mustKeyring(t testing.TB, spec string) *Keyring {
	t.Helper()
	k, err := ParseKeyring(spec)
	if err != nil {
		t.Fatalf("ParseKeyring: %v", err)
	}
	return k
}

func ring1(t testing.TB) *Keyring  { return mustKeyring(t, "1:"+keyA) }
func ring12(t testing.TB) *Keyring { return mustKeyring(t, "1:"+keyA+",2:"+keyB) }
func ring2(t testing.TB) *Keyring  { return mustKeyring(t, "2:"+keyB) }

func TestParseKeyring(t *testing.T) {
	urlKey := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb, 0xff, 0xbe}, 11)[:32])
	tests := []struct {
		name     string
		spec     string
		versions []int
		current  int
	}{
		{"single", "1:" + keyA, []int{1}, 1},
		{"two", "1:" + keyA + ",2:" + keyB, []int{1, 2}, 2},
		{"unordered with spaces", " 7 : " + keyB + " ,\n3:" + keyA + "\n", []int{3, 7}, 7},
		{"raw std base64", "1:" + strings.TrimRight(keyA, "="), []int{1}, 1},
		{"raw url base64", "4:" + urlKey, []int{4}, 4},
		{"max version", "255:" + keyA, []int{255}, 255},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := mustKeyring(t, tt.spec)
			if got := k.Versions(); fmt.Sprint(got) != fmt.Sprint(tt.versions) {
				t.Errorf("Versions = %v, want %v", got, tt.versions)
			}
			if got := k.Current(); got != tt.current {
				t.Errorf("Current = %d, want %d", got, tt.current)
			}
			if got := k.IndexVersion(); got != tt.versions[0] {
				t.Errorf("IndexVersion = %d, want %d", got, tt.versions[0])
			}
		})
	}
}

func TestParseKeyringErrors(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("sixteen byte key"))
	long := base64.StdEncoding.EncodeToString([]byte("a key of thirty-three bytes long!"))
	zero := base64.StdEncoding.EncodeToString(make([]byte, 32))
	bad := "Zq9!secretSECRET$notbase64%%%Xy7w=="
	tests := []struct {
		name   string
		spec   string
		secret string // must not appear in the error
		want   string // must appear in the error
	}{
		{"empty", "", "", "empty"},
		{"blank", "  \n ", "", "empty"},
		{"empty entry", "1:" + keyA + ",", keyA, "entry 2 is empty"},
		{"no colon", keyA, keyA, "no ':'"},
		{"bad base64", "1:" + bad, bad, "not valid base64"},
		{"too short", "1:" + short, short, "16 bytes, want 32"},
		{"too long", "1:" + long, long, "33 bytes, want 32"},
		{"all zeros", "1:" + zero, zero, "all zeros"},
		{"missing key", "1:", "", "key is missing"},
		{"duplicate version", "1:" + keyA + ",1:" + keyB, keyB, "duplicate version 1"},
		{"same key twice", "1:" + keyA + ",2:" + keyA, keyA, "versions 1 and 2 have the same key"},
		{"non-numeric version", "v1:" + keyA, keyA, "not a number"},
		{"negative version", "-1:" + keyA, keyA, "not a number"},
		{"version zero", "0:" + keyA, keyA, "out of range"},
		{"version too high", "256:" + keyA, keyA, "out of range"},
		{"key and version swapped", keyA + ":1", keyA, "not a number"},
		{"missing version", ":" + keyA, keyA, "version is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKeyring(tt.spec)
			if err == nil {
				t.Fatalf("ParseKeyring succeeded: %v", k)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not mention %q", msg, tt.want)
			}
			if leaks(msg, tt.secret) {
				t.Errorf("error %q echoes key material", msg)
			}
		})
	}
}

// leaks reports whether msg contains secret or any 8-character piece of it.
func leaks(msg, secret string) bool {
	secret = strings.TrimRight(secret, "=")
	if len(secret) < 8 {
		return secret != "" && strings.Contains(msg, secret)
	}
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(msg, secret[i:i+8]) {
			return true
		}
	}
	return false
}

func TestGenerateKeySpec(t *testing.T) {
	spec, err := GenerateKeySpec()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(spec, "1:") {
		t.Fatalf("spec %q does not start with 1:", spec)
	}
	k := mustKeyring(t, spec)
	entry, err := GenerateKeyEntry(2)
	if err != nil {
		t.Fatal(err)
	}
	if entry == spec || !strings.HasPrefix(entry, "2:") {
		t.Fatalf("entry %q", entry)
	}
	k2 := mustKeyring(t, spec+","+entry)
	_, wrapped, v, err := k.NewDataKey("c1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k2.Unwrap(wrapped, v, "c1"); err != nil {
		t.Fatalf("generated keyring after rotation: %v", err)
	}
	if _, err := GenerateKeyEntry(0); err == nil {
		t.Error("GenerateKeyEntry(0) succeeded")
	}
}

func TestDataKeyRoundTrip(t *testing.T) {
	k := ring1(t)
	dk, _, _, err := k.NewDataKey("cand-1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		plaintext []byte
		aad       string
	}{
		{"text", []byte("José de Vries, Stationsstraat 1, Utrecht"), FieldAAD("cand-1", "address")},
		{"empty plaintext", nil, FieldAAD("cand-1", "note")},
		{"empty aad", []byte("x"), ""},
		{"binary", []byte{0, 1, 2, 0xff, 0xfe}, "cand-1/bsn"},
		{"1 KiB", bytes.Repeat([]byte("medisch "), 128), "cand-1/medical"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := dk.Seal(tt.plaintext, tt.aad)
			if want := len(tt.plaintext) + 29; len(ct) != want {
				t.Errorf("len(ciphertext) = %d, want %d", len(ct), want)
			}
			if len(tt.plaintext) >= 8 && bytes.Contains(ct, tt.plaintext[:8]) {
				t.Error("ciphertext contains plaintext")
			}
			pt, err := dk.Open(ct, tt.aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(pt, tt.plaintext) {
				t.Fatalf("Open = %q, want %q", pt, tt.plaintext)
			}
		})
	}
}

func TestSealNonceDiffers(t *testing.T) {
	dk, _, _, err := ring1(t).NewDataKey("cand-1")
	if err != nil {
		t.Fatal(err)
	}
	k := ring1(t)
	tests := []struct {
		name string
		seal func() []byte
	}{
		{"DataKey.Seal", func() []byte { return dk.Seal([]byte("same"), "cand-1/name") }},
		{"Keyring.SealSystem", func() []byte { return k.SealSystem([]byte("same"), "user/1/totp") }},
		{"Keyring.Wrap", func() []byte { w, _, _ := k.Wrap(dk, "cand-1"); return w }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make(map[string]bool)
			for range 20 {
				ct := string(tt.seal())
				if seen[ct] {
					t.Fatal("same output twice")
				}
				seen[ct] = true
			}
		})
	}
}

func TestOpenFailures(t *testing.T) {
	k := ring1(t)
	dk, _, _, err := k.NewDataKey("cand-1")
	if err != nil {
		t.Fatal(err)
	}
	other, _, _, err := k.NewDataKey("cand-2")
	if err != nil {
		t.Fatal(err)
	}
	aad := FieldAAD("cand-1", "medical")
	ct := dk.Seal([]byte("arbeidsongeschikt sinds maart"), aad)
	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[(i+len(c))%len(c)] ^= 0x01
		return c
	}
	tests := []struct {
		name string
		key  DataKey
		ct   []byte
		aad  string
	}{
		{"flip format byte", dk, flip(0), aad},
		{"flip nonce byte", dk, flip(5), aad},
		{"flip ciphertext byte", dk, flip(20), aad},
		{"flip tag byte", dk, flip(-1), aad},
		{"truncated", dk, ct[:len(ct)-1], aad},
		{"too short", dk, ct[:10], aad},
		{"empty", dk, nil, aad},
		{"appended byte", dk, append(bytes.Clone(ct), 0), aad},
		{"wrong category", dk, ct, FieldAAD("cand-1", "address")},
		{"wrong candidate", dk, ct, FieldAAD("cand-2", "medical")},
		{"empty aad", dk, ct, ""},
		{"other candidate's key", other, ct, aad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := tt.key.Open(tt.ct, tt.aad)
			if !errors.Is(err, ErrDecrypt) {
				t.Fatalf("Open = %q, %v; want ErrDecrypt", pt, err)
			}
			if pt != nil {
				t.Errorf("Open returned plaintext %q with error", pt)
			}
		})
	}
}

func TestWrapUnwrap(t *testing.T) {
	k := ring1(t)
	dk, wrapped, v, err := k.NewDataKey("cand-1")
	if err != nil {
		t.Fatal(err)
	}
	if v != 1 || len(wrapped) != wrappedLen {
		t.Fatalf("version %d, %d bytes", v, len(wrapped))
	}
	ct := dk.Seal([]byte("geheim"), "cand-1/name")
	flip := func(i int) []byte {
		w := bytes.Clone(wrapped)
		w[i] ^= 0x80
		return w
	}
	tests := []struct {
		name      string
		wrapped   []byte
		version   int
		candidate string
		err       error // nil: must unwrap to dk
	}{
		{"round trip", wrapped, 1, "cand-1", nil},
		{"other candidate", wrapped, 1, "cand-2", ErrDecrypt},
		{"candidate id prefix", wrapped, 1, "cand-", ErrDecrypt},
		{"unknown version", wrapped, 2, "cand-1", ErrUnknownVersion},
		{"flip format byte", flip(0), 1, "cand-1", ErrDecrypt},
		{"flip version byte", flip(1), 1, "cand-1", ErrDecrypt},
		{"flip nonce byte", flip(2), 1, "cand-1", ErrDecrypt},
		{"flip key byte", flip(20), 1, "cand-1", ErrDecrypt},
		{"flip tag byte", flip(wrappedLen - 1), 1, "cand-1", ErrDecrypt},
		{"truncated", wrapped[:wrappedLen-1], 1, "cand-1", ErrDecrypt},
		{"empty", nil, 1, "cand-1", ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := k.Unwrap(tt.wrapped, tt.version, tt.candidate)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Unwrap err = %v, want %v", err, tt.err)
				}
				if !got.IsZero() {
					t.Error("Unwrap returned a key with an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Unwrap: %v", err)
			}
			if pt, err := got.Open(ct, "cand-1/name"); err != nil || string(pt) != "geheim" {
				t.Fatalf("unwrapped key opens to %q, %v", pt, err)
			}
		})
	}
	if _, err := k.Unwrap(wrapped, 1, ""); err == nil {
		t.Error("Unwrap with an empty candidate id succeeded")
	}
	if _, _, _, err := k.NewDataKey(""); err == nil {
		t.Error("NewDataKey with an empty candidate id succeeded")
	}
	if _, _, err := k.Wrap(DataKey{}, "cand-1"); err == nil {
		t.Error("Wrap of the zero DataKey succeeded")
	}
}

// TestRotation follows a master key rotation: keyring "1:a" wraps, "1:a,2:b"
// still unwraps version 1 and re-wraps with 2, "2:b" alone cannot unwrap 1.
func TestRotation(t *testing.T) {
	old, both, next := ring1(t), ring12(t), ring2(t)
	dk, w1, v1, err := old.NewDataKey("cand-1")
	if err != nil {
		t.Fatal(err)
	}
	ct := dk.Seal([]byte("BSN 123456782"), "cand-1/bsn")
	sys1 := old.SealSystem([]byte("totp seed"), "user/7/totp")

	w2, v2, err := both.Rewrap(w1, v1, "cand-1")
	if err != nil {
		t.Fatal(err)
	}
	if v1 != 1 || v2 != 2 || both.Current() != 2 {
		t.Fatalf("versions: wrapped %d, rewrapped %d, current %d", v1, v2, both.Current())
	}
	dk2, err := both.Unwrap(w1, 1, "cand-1")
	if err != nil {
		t.Fatal(err)
	}
	w2b, v2b, err := both.Wrap(dk2, "cand-1")
	if err != nil || v2b != 2 {
		t.Fatalf("Wrap: version %d, %v", v2b, err)
	}
	sys2 := both.SealSystem([]byte("totp seed"), "user/7/totp")

	tests := []struct {
		name    string
		ring    *Keyring
		wrapped []byte
		version int
		err     error
	}{
		{"old ring unwraps v1", old, w1, 1, nil},
		{"both unwrap v1", both, w1, 1, nil},
		{"both unwrap rewrapped v2", both, w2, 2, nil},
		{"both unwrap wrapped v2", both, w2b, 2, nil},
		{"new ring unwraps v2", next, w2, 2, nil},
		{"new ring cannot unwrap v1", next, w1, 1, ErrUnknownVersion},
		{"old ring cannot unwrap v2", old, w2, 2, ErrUnknownVersion},
		{"v1 bytes claimed as v2", both, w1, 2, ErrDecrypt},
		{"v2 bytes claimed as v1", both, w2, 1, ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ring.Unwrap(tt.wrapped, tt.version, "cand-1")
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Unwrap err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unwrap: %v", err)
			}
			if pt, err := got.Open(ct, "cand-1/bsn"); err != nil || string(pt) != "BSN 123456782" {
				t.Fatalf("field opens to %q, %v", pt, err)
			}
		})
	}

	t.Run("unknown version error", func(t *testing.T) {
		_, err := next.Unwrap(w1, 1, "cand-1")
		if !errors.Is(err, ErrDecrypt) || !strings.Contains(err.Error(), "version 1") {
			t.Fatalf("err = %v; want ErrDecrypt too, naming version 1", err)
		}
	})

	sysTests := []struct {
		name    string
		ring    *Keyring
		ct      []byte
		version int
		err     error
	}{
		{"old ring opens v1", old, sys1, 1, nil},
		{"both open v1", both, sys1, 1, nil},
		{"both open v2", both, sys2, 2, nil},
		{"new ring opens v2", next, sys2, 2, nil},
		{"new ring cannot open v1", next, sys1, 1, ErrUnknownVersion},
	}
	for _, tt := range sysTests {
		t.Run("system/"+tt.name, func(t *testing.T) {
			if v, err := tt.ring.SystemVersion(tt.ct); err != nil || v != tt.version {
				t.Fatalf("SystemVersion = %d, %v; want %d", v, err, tt.version)
			}
			pt, err := tt.ring.OpenSystem(tt.ct, "user/7/totp")
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("OpenSystem err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || string(pt) != "totp seed" {
				t.Fatalf("OpenSystem = %q, %v", pt, err)
			}
		})
	}
}

func TestSystemFailures(t *testing.T) {
	k := ring12(t)
	ct := k.SealSystem([]byte("totp seed"), "user/7/totp")
	flip := func(i int) []byte {
		c := bytes.Clone(ct)
		c[(i+len(c))%len(c)] ^= 0x01
		return c
	}
	tests := []struct {
		name string
		ct   []byte
		aad  string
		err  error
	}{
		{"round trip", ct, "user/7/totp", nil},
		{"wrong aad", ct, "user/8/totp", ErrDecrypt},
		{"flip format byte", flip(0), "user/7/totp", ErrDecrypt},
		{"version 2 to 3", flip(1), "user/7/totp", ErrUnknownVersion},
		{"flip nonce byte", flip(3), "user/7/totp", ErrDecrypt},
		{"flip tag byte", flip(-1), "user/7/totp", ErrDecrypt},
		{"too short", ct[:20], "user/7/totp", ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := k.OpenSystem(tt.ct, tt.aad)
			if tt.err == nil {
				if err != nil || string(pt) != "totp seed" {
					t.Fatalf("OpenSystem = %q, %v", pt, err)
				}
				return
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("OpenSystem = %q, %v; want %v", pt, err, tt.err)
			}
		})
	}
	t.Run("version 1 to 2", func(t *testing.T) {
		// A version-1 ciphertext relabelled as version 2 must not open.
		c1 := ring1(t).SealSystem([]byte("totp seed"), "user/7/totp")
		c1[1] = 2
		if _, err := k.OpenSystem(c1, "user/7/totp"); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("err = %v, want ErrDecrypt", err)
		}
	})
	t.Run("system key is not a data key", func(t *testing.T) {
		// A system ciphertext is not openable as a field ciphertext.
		dk, _, _, err := k.NewDataKey("cand-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dk.Open(ct[1:], "user/7/totp"); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("err = %v, want ErrDecrypt", err)
		}
	})
}

func TestZeroDataKey(t *testing.T) {
	var dk DataKey
	if !dk.IsZero() {
		t.Fatal("zero DataKey is not zero")
	}
	if _, err := dk.Open(make([]byte, 64), ""); err == nil {
		t.Error("Open with the zero DataKey succeeded")
	}
	defer func() {
		if recover() == nil {
			t.Error("Seal with the zero DataKey did not panic")
		}
	}()
	dk.Seal([]byte("x"), "")
}

// TestNoKeyMaterialPrinted checks every fmt verb on keys and keyrings.
func TestNoKeyMaterialPrinted(t *testing.T) {
	k := ring12(t)
	dk, _, _, err := k.NewDataKey("cand-1")
	if err != nil {
		t.Fatal(err)
	}
	raw := dk.k.raw[:]
	secrets := []string{
		keyA, keyB,
		fmt.Sprintf("%x", raw), fmt.Sprintf("%X", raw), fmt.Sprintf("%v", raw),
		base64.StdEncoding.EncodeToString(raw), string(raw),
		fmt.Sprintf("%x", k.index.key[:]), fmt.Sprintf("%v", k.index.key[:]),
	}
	type holder struct { // keys inside someone else's struct, unexported
		dk   DataKey
		ring Keyring
		ptr  *Keyring
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q", "%t"} {
		for name, v := range map[string]any{
			"DataKey": dk, "*DataKey": &dk, "*Keyring": k, "Keyring": *k,
			"holder": holder{dk, *k, k}, "*holder": &holder{dk, *k, k},
		} {
			t.Run(name+" "+verb, func(t *testing.T) {
				out := fmt.Sprintf(verb, v)
				for _, s := range secrets {
					if leaks(out, s) {
						t.Fatalf("%s prints key material: %s", verb, out)
					}
				}
			})
		}
	}
	if got := dk.String(); got != "vault.DataKey(redacted)" {
		t.Errorf("String = %q", got)
	}
	if got := k.String(); got != "vault.Keyring(versions [1 2], current 2)" {
		t.Errorf("String = %q", got)
	}
}

func BenchmarkSeal1KiB(b *testing.B) {
	dk, _, _, err := ring1(b).NewDataKey("cand-1")
	if err != nil {
		b.Fatal(err)
	}
	pt := bytes.Repeat([]byte("x"), 1024)
	b.SetBytes(int64(len(pt)))
	b.ReportAllocs()
	for b.Loop() {
		dk.Seal(pt, "cand-1/medical")
	}
}

func BenchmarkOpen1KiB(b *testing.B) {
	dk, _, _, err := ring1(b).NewDataKey("cand-1")
	if err != nil {
		b.Fatal(err)
	}
	pt := bytes.Repeat([]byte("x"), 1024)
	ct := dk.Seal(pt, "cand-1/medical")
	b.SetBytes(int64(len(pt)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dk.Open(ct, "cand-1/medical"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnwrap(b *testing.B) {
	k := ring1(b)
	_, wrapped, v, err := k.NewDataKey("cand-1")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Unwrap(wrapped, v, "cand-1"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFingerprint(t *testing.T) {
	a, b := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	if Fingerprint(a) == Fingerprint(b) || Fingerprint(a) != Fingerprint(bytes.Clone(a)) || len(Fingerprint(a)) != 64 {
		t.Fatal("fingerprints do not tell keys apart")
	}
	if strings.Contains(Fingerprint(a), hex.EncodeToString(a)) {
		t.Fatal("the fingerprint holds the key")
	}
	kr, err := ParseKeyring("1:" + base64.StdEncoding.EncodeToString(a) + ",2:" + base64.StdEncoding.EncodeToString(b))
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := kr.Fingerprint(2); !ok || f != Fingerprint(b) {
		t.Fatal("keyring fingerprint of version 2")
	}
	if _, ok := kr.Fingerprint(3); ok {
		t.Fatal("fingerprint of a version not configured")
	}
}
