package schemaedit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/graphsync/graphsync/models"
)

// Fingerprint returns a digest of s, "sha256:" and 64 hexadecimal digits:
// the SHA-256 of the JSON s encodes to, its members sorted and without
// insignificant space, @odata.context left out (it names the URL the
// schema was read from, not the schema). Two schemas have the same
// fingerprint exactly when they encode to the same JSON value, version
// included: Graph changes a schema's version with every change, so a
// plan that kept the fingerprint of the schema it was made against can
// tell whether the schema changed since. The error is s's Extra holding
// something that is not JSON.
func Fingerprint(s models.SynchronizationSchema) (string, error) {
	o, err := tree(s)
	if err != nil {
		return "", fmt.Errorf("schemaedit: fingerprint: %w", err)
	}
	delete(o, "@odata.context")
	sum := sha256.Sum256(canonical(o))
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
