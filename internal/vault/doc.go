// Package vault is Opstap's envelope encryption, built for crypto-shredding.
//
// # Why
//
// A re-integration file holds medical, financial and personal data that the
// AVG (GDPR) requires us to erase when a retention period ends or a person
// exercises their right to erasure. Deleting rows is not enough: the data
// lives on in database backups, replicas and exports that cannot be edited
// after the fact. So every personal field of a candidate is encrypted under a
// data key of that candidate's own ([DataKey]), and erasing a person means
// destroying that one key. Without it their ciphertexts are noise, in the live
// database and in every backup ever taken.
//
// Data keys are stored in the database only wrapped (encrypted) by a master
// key. Master keys come from configuration ([ParseKeyring], e.g.
// "1:BASE64,2:BASE64") and never enter the database, so a database dump or a
// leaked backup alone reveals nothing. Because an old backup contains the
// erased person's wrapped data key, the master key must also be kept out of
// backups; then the erased key is gone for good.
//
// # Rotation
//
// Master keys are versioned and rotated without downtime:
//
//  1. Generate a new entry ([GenerateKeyEntry]) and append it to the
//     configured keyring; restart. The highest version becomes current: it
//     wraps every new data key and seals every new system secret, while older
//     versions still unwrap and open.
//  2. A background job moves every wrapped data key to the current version
//     ([Keyring.Rewrap], selecting rows whose stored version is below
//     [Keyring.Current]) and re-seals system secrets ([Keyring.SystemVersion],
//     [Keyring.OpenSystem], [Keyring.SealSystem]).
//  3. Once nothing refers to an old version any more, remove it from the
//     configuration.
//
// Field ciphertexts are never re-encrypted on rotation: only the 62-byte
// wrapped keys are.
//
// The blind index ([Keyring.SearchTerms]) is keyed by a key derived from the
// lowest configured master version, so that it survives step 1 and 2. Step 3
// for that lowest version changes the index key ([Keyring.IndexVersion]) and
// requires rebuilding the search terms from the decrypted values.
//
// # Formats
//
// All ciphertexts are AES-256-GCM with a random 96-bit nonce, and start with
// a format byte (currently 1) that is authenticated along with the caller's
// associated data:
//
//	field (DataKey.Seal):         0x01 | nonce(12) | ciphertext | tag(16)
//	wrapped data key (Wrap):      0x01 | version(1) | nonce(12) | key(32) | tag(16)
//	system (Keyring.SealSystem):  0x01 | version(1) | nonce(12) | ciphertext | tag(16)
//
// A wrapped data key is bound to its candidate's id, and a field ciphertext to
// the associated data its caller chose ([FieldAAD]: candidate id and
// category), so a ciphertext cannot be moved to another person or another
// column without failing to open. Key wrapping, system secrets and the blind
// index each use their own key, derived from the master key with HKDF-SHA256.
//
// # Threat model
//
// Protects against:
//   - a leaked database dump, replica or backup without the master keys: no
//     personal field, wrapped key or system secret (TOTP seeds) can be read;
//   - reading an erased person in any backup, old or new, once their wrapped
//     key is destroyed, provided the master keys themselves never leaked;
//   - a database writer swapping ciphertexts or wrapped keys between
//     candidates or fields: opening fails with [ErrDecrypt].
//
// Does not protect against:
//   - a compromised running server or configuration: whoever holds the master
//     keys can read everything that is not yet erased;
//   - inference from the blind index: equal search terms reveal equal values
//     (e.g. two candidates sharing a surname, word frequencies), and with the
//     index key, low-entropy values such as a BSN can be found by trying all
//     of them. Erasing a person must therefore delete their search terms too;
//   - metadata: row counts, lengths (ciphertexts are not padded), timestamps.
package vault
