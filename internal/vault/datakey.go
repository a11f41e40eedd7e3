package vault

import (
	"crypto/cipher"
	"errors"
	"log/slog"
)

// DataKey is one candidate's key: every personal field of theirs is sealed
// under it. Obtain it from Keyring.NewDataKey or Keyring.Unwrap; the zero
// DataKey is no key (Seal panics, Open fails). Copies share the key. String,
// GoString and LogValue never show it, and since the key sits two pointers
// deep, no fmt verb prints it either, not even inside another struct.
type DataKey struct {
	k *dataKey
}

type dataKey struct {
	raw  *[KeySize]byte
	aead cipher.AEAD
}

func newDataKey(raw []byte) (DataKey, error) {
	if len(raw) != KeySize {
		return DataKey{}, decryptError("data key is %d bytes, want %d", len(raw), KeySize)
	}
	dk := &dataKey{raw: new([KeySize]byte)}
	copy(dk.raw[:], raw)
	aead, err := newAEAD(dk.raw[:])
	if err != nil {
		return DataKey{}, err
	}
	dk.aead = aead
	return DataKey{k: dk}, nil
}

// IsZero reports whether dk is the zero DataKey, which holds no key.
func (dk DataKey) IsZero() bool { return dk.k == nil }

// String never shows the key.
func (dk DataKey) String() string {
	if dk.k == nil {
		return "vault.DataKey(zero)"
	}
	return "vault.DataKey(redacted)"
}

// GoString is String, so that %#v does not reach the key either.
func (dk DataKey) GoString() string { return dk.String() }

// LogValue implements slog.LogValuer.
func (dk DataKey) LogValue() slog.Value { return slog.StringValue(dk.String()) }

// FieldAAD is the associated data for a candidate's field: candidateID + "/"
// + category. Sealing with it binds a ciphertext to its row and column, so it
// cannot be moved to another candidate or category.
func FieldAAD(candidateID, category string) string { return candidateID + "/" + category }

// Seal encrypts plaintext with AES-256-GCM under dk and aad as associated
// data; see FieldAAD. The result is a format byte, a random 12-byte nonce,
// the ciphertext and the 16-byte tag: 29 bytes more than plaintext, and
// different on every call. Seal panics on the zero DataKey.
func (dk DataKey) Seal(plaintext []byte, aad string) []byte {
	if dk.k == nil {
		panic("vault: Seal with a zero DataKey")
	}
	out := make([]byte, 1, 1+dk.k.aead.Overhead()+len(plaintext))
	out[0] = formatV1
	return dk.k.aead.Seal(out, nil, plaintext, append(out[:1:1], aad...))
}

// Open decrypts what Seal made with the same key and aad. Any other key, aad
// or a change to the ciphertext fails with ErrDecrypt.
func (dk DataKey) Open(ciphertext []byte, aad string) ([]byte, error) {
	if dk.k == nil {
		return nil, errors.New("vault: Open with a zero DataKey")
	}
	if len(ciphertext) < 1+dk.k.aead.Overhead() {
		return nil, decryptError("ciphertext is too short (%d bytes)", len(ciphertext))
	}
	if ciphertext[0] != formatV1 {
		return nil, decryptError("unsupported ciphertext format %d", ciphertext[0])
	}
	pt, err := dk.k.aead.Open(nil, nil, ciphertext[1:], append(ciphertext[:1:1], aad...))
	if err != nil {
		return nil, errAuth
	}
	return pt, nil
}
