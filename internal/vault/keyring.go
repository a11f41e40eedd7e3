package vault

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
)

// Errors. Every failure to decrypt or unwrap matches ErrDecrypt under
// errors.Is; an unknown master key version also matches ErrUnknownVersion.
var (
	ErrDecrypt        = errors.New("vault: decryption failed")
	ErrUnknownVersion = errors.New("vault: unknown master key version")
)

// Sizes and limits.
const (
	KeySize    = 32  // master and data keys: AES-256
	MaxVersion = 255 // versions are 1..MaxVersion: one byte in ciphertexts

	formatV1   = 1
	wrappedLen = 2 + 12 + KeySize + 16
)

// HKDF info strings: each use of a master key gets its own subkey.
const (
	infoWrap   = "opstap key wrap v1"
	infoSystem = "opstap system secret v1"
	infoIndex  = "opstap blind index v1"
)

// versionError is ErrUnknownVersion (and ErrDecrypt) with the details.
type versionError struct {
	version    int
	configured []int
}

func (e *versionError) Error() string {
	return fmt.Sprintf("vault: unknown master key version %d (configured: %v)", e.version, e.configured)
}

func (e *versionError) Is(target error) bool {
	return target == ErrUnknownVersion || target == ErrDecrypt
}

func decryptError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrDecrypt}, args...)...)
}

// errAuth is the AEAD failure: GCM cannot tell which of these it was.
var errAuth = fmt.Errorf("%w: wrong key, wrong associated data or tampered ciphertext", ErrDecrypt)

// masterKey holds what is derived from one master key version; the raw key
// itself is not kept, and the subkeys are only inside the AEADs.
type masterKey struct {
	wrap        cipher.AEAD
	system      cipher.AEAD
	fingerprint string
}

// indexKey is behind two pointers: even fmt's bad-verb output, which
// dereferences one pointer, shows only an address.
type indexKey struct {
	key *[KeySize]byte
}

// Keyring holds the configured master keys by version. The highest version is
// current: it wraps new data keys and seals new system secrets; all versions
// unwrap and open. A Keyring is immutable and safe for concurrent use. Its
// String, GoString and LogValue show versions only, never key material.
type Keyring struct {
	keys         map[int]*masterKey
	versions     []int // ascending
	index        *indexKey
	indexVersion int
}

// ParseKeyring reads a keyring specification: comma-separated entries
// "VERSION:KEY", where VERSION is 1..255 and KEY is 32 bytes in standard or
// URL-safe base64, padded or not. Whitespace around entries is ignored.
// Error messages name the entry and the problem, never its text.
func ParseKeyring(spec string) (*Keyring, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, errors.New("vault: keyring is empty; want VERSION:BASE64[,VERSION:BASE64…]")
	}
	raw := make(map[int][]byte)
	for i, entry := range strings.Split(spec, ",") {
		n := i + 1
		entry = strings.TrimSpace(entry)
		if entry == "" {
			return nil, fmt.Errorf("vault: keyring entry %d is empty", n)
		}
		vs, ks, ok := strings.Cut(entry, ":")
		if !ok {
			return nil, fmt.Errorf("vault: keyring entry %d has no ':'; want VERSION:BASE64", n)
		}
		v, err := parseVersion(strings.TrimSpace(vs))
		if err != nil {
			return nil, fmt.Errorf("vault: keyring entry %d: %v", n, err)
		}
		if _, dup := raw[v]; dup {
			return nil, fmt.Errorf("vault: keyring entry %d: duplicate version %d", n, v)
		}
		key, err := decodeKey(strings.TrimSpace(ks))
		if err != nil {
			return nil, fmt.Errorf("vault: keyring entry %d (version %d): %v", n, v, err)
		}
		for w, other := range raw {
			if bytes.Equal(key, other) {
				return nil, fmt.Errorf("vault: keyring versions %d and %d have the same key", min(v, w), max(v, w))
			}
		}
		raw[v] = key
	}

	k := &Keyring{keys: make(map[int]*masterKey, len(raw))}
	for v, key := range raw {
		mk, err := deriveMaster(key)
		if err != nil {
			return nil, fmt.Errorf("vault: keyring version %d: %v", v, err)
		}
		k.keys[v] = mk
		k.versions = append(k.versions, v)
	}
	slices.Sort(k.versions)
	k.indexVersion = k.versions[0]
	ik, err := hkdf.Key(sha256.New, raw[k.indexVersion], nil, infoIndex, KeySize)
	if err != nil {
		return nil, fmt.Errorf("vault: derive index key: %v", err)
	}
	k.index = &indexKey{key: (*[KeySize]byte)(ik)}
	return k, nil
}

func parseVersion(s string) (int, error) {
	if s == "" {
		return 0, errors.New("version is missing")
	}
	if len(s) > 3 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("version is not a number in 1..%d", MaxVersion)
	}
	v, _ := strconv.Atoi(s)
	if v < 1 || v > MaxVersion {
		return 0, fmt.Errorf("version %d is out of range 1..%d", v, MaxVersion)
	}
	return v, nil
}

func decodeKey(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("key is missing")
	}
	var key []byte
	var err error
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if key, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		// base64's own errors carry only an offset, but keep the message ours.
		return nil, errors.New("key is not valid base64")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	if bytes.Equal(key, make([]byte, KeySize)) {
		return nil, errors.New("key is all zeros")
	}
	return key, nil
}

func deriveMaster(key []byte) (*masterKey, error) {
	wrap, err := subkeyAEAD(key, infoWrap)
	if err != nil {
		return nil, err
	}
	system, err := subkeyAEAD(key, infoSystem)
	if err != nil {
		return nil, err
	}
	return &masterKey{wrap: wrap, system: system, fingerprint: Fingerprint(key)}, nil
}

func subkeyAEAD(master []byte, info string) (cipher.AEAD, error) {
	sub, err := hkdf.Key(sha256.New, master, nil, info, KeySize)
	if err != nil {
		return nil, err
	}
	return newAEAD(sub)
}

// newAEAD is AES-256-GCM that prepends a random 12-byte nonce on Seal.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// GenerateKeySpec returns a keyring specification "1:BASE64" with a fresh
// random master key, for a first start or a demo.
func GenerateKeySpec() (string, error) { return GenerateKeyEntry(1) }

// GenerateKeyEntry returns a keyring entry "VERSION:BASE64" with a fresh
// random master key; append it to the specification to rotate.
func GenerateKeyEntry(version int) (string, error) {
	if version < 1 || version > MaxVersion {
		return "", fmt.Errorf("vault: version %d is out of range 1..%d", version, MaxVersion)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("vault: generate key: %w", err)
	}
	return strconv.Itoa(version) + ":" + base64.StdEncoding.EncodeToString(key), nil
}

// Current is the highest configured version: the one that wraps and seals.
func (k *Keyring) Current() int { return k.versions[len(k.versions)-1] }

// Versions lists the configured versions in ascending order.
func (k *Keyring) Versions() []int { return slices.Clone(k.versions) }

// IndexVersion is the master key version the blind index key is derived
// from: the lowest configured one. When it changes, stored search terms no
// longer match and must be rebuilt; store it next to the index to notice.
func (k *Keyring) IndexVersion() int { return k.indexVersion }

func (k *Keyring) key(version int) (*masterKey, error) {
	mk, ok := k.keys[version]
	if !ok {
		return nil, &versionError{version: version, configured: k.Versions()}
	}
	return mk, nil
}

// String shows the configured versions, never key material.
func (k *Keyring) String() string {
	if k == nil {
		return "vault.Keyring(nil)"
	}
	return fmt.Sprintf("vault.Keyring(versions %v, current %d)", k.versions, k.Current())
}

// GoString is String, so that %#v does not reach the keys either.
func (k *Keyring) GoString() string { return k.String() }

// LogValue implements slog.LogValuer.
func (k *Keyring) LogValue() slog.Value { return slog.StringValue(k.String()) }

// NewDataKey makes a fresh random data key for a candidate and returns it with
// its wrapped form and the master key version that wrapped it; store both
// wrapped and version. The wrapping is bound to candidateID (see Unwrap).
func (k *Keyring) NewDataKey(candidateID string) (dk DataKey, wrapped []byte, version int, err error) {
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return DataKey{}, nil, 0, fmt.Errorf("vault: generate data key: %w", err)
	}
	dk, err = newDataKey(raw)
	if err != nil {
		return DataKey{}, nil, 0, err
	}
	wrapped, version, err = k.Wrap(dk, candidateID)
	if err != nil {
		return DataKey{}, nil, 0, err
	}
	return dk, wrapped, version, nil
}

// Wrap encrypts a data key under the current master version, with
// candidateID as associated data. The rotation job uses it (via Rewrap) to
// move keys to the current version.
func (k *Keyring) Wrap(dk DataKey, candidateID string) (wrapped []byte, version int, err error) {
	if dk.k == nil {
		return nil, 0, errors.New("vault: wrap of a zero DataKey")
	}
	if candidateID == "" {
		return nil, 0, errors.New("vault: wrap needs a candidate id")
	}
	version = k.Current()
	mk := k.keys[version]
	out := make([]byte, 2, wrappedLen)
	out[0], out[1] = formatV1, byte(version)
	ad := append(out[:2:2], candidateID...)
	return mk.wrap.Seal(out, nil, dk.k.raw[:], ad), version, nil
}

// Unwrap decrypts a wrapped data key, stored with the given master version,
// for candidateID. A key wrapped for another candidate, under another version,
// or altered in any way fails with ErrDecrypt; a version that is not (or no
// longer) configured fails with ErrUnknownVersion.
func (k *Keyring) Unwrap(wrapped []byte, version int, candidateID string) (DataKey, error) {
	if candidateID == "" {
		return DataKey{}, errors.New("vault: unwrap needs a candidate id")
	}
	mk, err := k.key(version)
	if err != nil {
		return DataKey{}, err
	}
	if len(wrapped) != wrappedLen {
		return DataKey{}, decryptError("wrapped key is %d bytes, want %d", len(wrapped), wrappedLen)
	}
	if wrapped[0] != formatV1 {
		return DataKey{}, decryptError("unsupported wrapped key format %d", wrapped[0])
	}
	if int(wrapped[1]) != version {
		return DataKey{}, decryptError("wrapped key is of version %d, not %d", wrapped[1], version)
	}
	ad := append(wrapped[:2:2], candidateID...)
	raw, err := mk.wrap.Open(nil, nil, wrapped[2:], ad)
	if err != nil {
		return DataKey{}, errAuth
	}
	return newDataKey(raw)
}

// Rewrap unwraps a data key and wraps it again under the current version:
// one step of the rotation job.
func (k *Keyring) Rewrap(wrapped []byte, version int, candidateID string) (newWrapped []byte, newVersion int, err error) {
	dk, err := k.Unwrap(wrapped, version, candidateID)
	if err != nil {
		return nil, 0, err
	}
	return k.Wrap(dk, candidateID)
}

// SealSystem encrypts a secret that belongs to no candidate (a user's TOTP
// seed, an API token) under the current master version, which it records
// in the ciphertext. aad binds the ciphertext to its place, e.g.
// "user/42/totp".
func (k *Keyring) SealSystem(plaintext []byte, aad string) []byte {
	version := k.Current()
	mk := k.keys[version]
	out := make([]byte, 2, 2+mk.system.Overhead()+len(plaintext))
	out[0], out[1] = formatV1, byte(version)
	return mk.system.Seal(out, nil, plaintext, append(out[:2:2], aad...))
}

// OpenSystem decrypts what SealSystem made, under any configured version.
func (k *Keyring) OpenSystem(ciphertext []byte, aad string) ([]byte, error) {
	version, err := systemHeader(ciphertext)
	if err != nil {
		return nil, err
	}
	mk, err := k.key(version)
	if err != nil {
		return nil, err
	}
	pt, err := mk.system.Open(nil, nil, ciphertext[2:], append(ciphertext[:2:2], aad...))
	if err != nil {
		return nil, errAuth
	}
	return pt, nil
}

// SystemVersion reports the master version a SealSystem ciphertext was made
// with, so the rotation job can find and re-seal old ones.
func (k *Keyring) SystemVersion(ciphertext []byte) (int, error) {
	return systemHeader(ciphertext)
}

func systemHeader(ct []byte) (int, error) {
	if len(ct) < 2+12+16 {
		return 0, decryptError("ciphertext is too short (%d bytes)", len(ct))
	}
	if ct[0] != formatV1 {
		return 0, decryptError("unsupported ciphertext format %d", ct[0])
	}
	return int(ct[1]), nil
}
