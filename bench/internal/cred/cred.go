// Package cred is the static credential of the benchmark clients.
package cred

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/graphsync/graphsync/bench/internal/harness"
)

// Credential issues harness.Token without any network call.
type Credential struct{}

// GetToken implements azcore.TokenCredential.
func (Credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: harness.Token, ExpiresOn: time.Now().Add(24 * time.Hour)}, nil
}
