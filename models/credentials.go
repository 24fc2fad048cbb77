package models

import (
	"fmt"
	"io"
	"log/slog"
)

// SecretKeyValue is one credential of a service principal's
// synchronization, such as BaseAddress or SecretToken (Graph
// synchronizationSecretKeyStringValuePair).
//
// Values are secrets. They are sent to Graph as they are, but formatting
// a SecretKeyValue with the fmt verbs (%v, %+v, %#v, %s) or logging it
// with log/slog shows the key and "<redacted>" instead of the value, and
// graphsync never puts values in errors.
type SecretKeyValue struct {
	// Key names the credential.
	Key SynchronizationSecret `json:"key"`
	// Value is the credential itself.
	Value string `json:"value"`
}

// SynchronizationSecret names a credential. Graph documents the values
// below; others are sent as they are.
type SynchronizationSecret string

// Documented credential names. BaseAddress (the tenant URL or SCIM
// endpoint) and SecretToken are what a SCIM application usually needs;
// UserName and Password are what Graph's validateCredentials example sends.
const (
	CredentialNone                            SynchronizationSecret = "None"
	CredentialUserName                        SynchronizationSecret = "UserName"
	CredentialPassword                        SynchronizationSecret = "Password"
	CredentialSecretToken                     SynchronizationSecret = "SecretToken"
	CredentialAppKey                          SynchronizationSecret = "AppKey"
	CredentialBaseAddress                     SynchronizationSecret = "BaseAddress"
	CredentialClientIdentifier                SynchronizationSecret = "ClientIdentifier"
	CredentialClientSecret                    SynchronizationSecret = "ClientSecret"
	CredentialSingleSignOnType                SynchronizationSecret = "SingleSignOnType"
	CredentialSandbox                         SynchronizationSecret = "Sandbox"
	CredentialURL                             SynchronizationSecret = "Url"
	CredentialDomain                          SynchronizationSecret = "Domain"
	CredentialConsumerKey                     SynchronizationSecret = "ConsumerKey"
	CredentialConsumerSecret                  SynchronizationSecret = "ConsumerSecret"
	CredentialTokenKey                        SynchronizationSecret = "TokenKey"
	CredentialTokenExpiration                 SynchronizationSecret = "TokenExpiration"
	CredentialOauth2AccessToken               SynchronizationSecret = "Oauth2AccessToken"
	CredentialOauth2AccessTokenCreationTime   SynchronizationSecret = "Oauth2AccessTokenCreationTime"
	CredentialOauth2RefreshToken              SynchronizationSecret = "Oauth2RefreshToken"
	CredentialSyncAll                         SynchronizationSecret = "SyncAll"
	CredentialInstanceName                    SynchronizationSecret = "InstanceName"
	CredentialOauth2ClientID                  SynchronizationSecret = "Oauth2ClientId"
	CredentialOauth2ClientSecret              SynchronizationSecret = "Oauth2ClientSecret"
	CredentialCompanyID                       SynchronizationSecret = "CompanyId"
	CredentialUpdateKeyOnSoftDelete           SynchronizationSecret = "UpdateKeyOnSoftDelete"
	CredentialSynchronizationSchedule         SynchronizationSecret = "SynchronizationSchedule"
	CredentialSystemOfRecord                  SynchronizationSecret = "SystemOfRecord"
	CredentialSandboxName                     SynchronizationSecret = "SandboxName"
	CredentialEnforceDomain                   SynchronizationSecret = "EnforceDomain"
	CredentialSyncNotificationSettings        SynchronizationSecret = "SyncNotificationSettings"
	CredentialSkipOutOfScopeDeletions         SynchronizationSecret = "SkipOutOfScopeDeletions"
	CredentialOauth2AuthorizationCode         SynchronizationSecret = "Oauth2AuthorizationCode"
	CredentialOauth2RedirectURI               SynchronizationSecret = "Oauth2RedirectUri"
	CredentialApplicationTemplateIdentifier   SynchronizationSecret = "ApplicationTemplateIdentifier"
	CredentialOauth2TokenExchangeURI          SynchronizationSecret = "Oauth2TokenExchangeUri"
	CredentialOauth2AuthorizationURI          SynchronizationSecret = "Oauth2AuthorizationUri"
	CredentialAuthenticationType              SynchronizationSecret = "AuthenticationType"
	CredentialServer                          SynchronizationSecret = "Server"
	CredentialPerformInboundEntitlementGrants SynchronizationSecret = "PerformInboundEntitlementGrants"
	CredentialHardDeletesEnabled              SynchronizationSecret = "HardDeletesEnabled"
	CredentialSyncAgentCompatibilityKey       SynchronizationSecret = "SyncAgentCompatibilityKey"
	CredentialSyncAgentADContainer            SynchronizationSecret = "SyncAgentADContainer"
	CredentialValidateDomain                  SynchronizationSecret = "ValidateDomain"
	CredentialTestReferences                  SynchronizationSecret = "TestReferences"
	CredentialConnectionString                SynchronizationSecret = "ConnectionString"
)

// redacted is what formatting shows instead of a credential's value.
const redacted = "<redacted>"

func redact(value string) string {
	if value == "" {
		return ""
	}
	return redacted
}

// String returns the key and "<redacted>" (or nothing, for an empty
// value), never the value.
func (s SecretKeyValue) String() string {
	return fmt.Sprintf("{%s %s}", s.Key, redact(s.Value))
}

// GoString is like String, in Go syntax.
func (s SecretKeyValue) GoString() string {
	return fmt.Sprintf("models.SecretKeyValue{Key:%q, Value:%q}", s.Key, redact(s.Value))
}

// Format implements fmt.Formatter so that no verb prints the value: %+v
// names the fields, %#v is GoString, every other verb is String.
func (s SecretKeyValue) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, s.GoString())
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "{Key:%s Value:%s}", s.Key, redact(s.Value))
	default:
		io.WriteString(f, s.String())
	}
}

// LogValue implements slog.LogValuer: the key and "<redacted>".
func (s SecretKeyValue) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key", string(s.Key)), slog.String("value", redact(s.Value)))
}

// ValidateCredentialsRequest is the body of validateCredentials: the
// credentials to check against the application, or UseSavedCredentials to
// check those saved with SaveSecrets. Formatting it or logging it with
// log/slog never shows the values of Credentials.
type ValidateCredentialsRequest struct {
	// ApplicationIdentifier identifies the application (optional).
	ApplicationIdentifier string `json:"applicationIdentifier,omitempty"`
	// TemplateID names the template whose settings apply (optional).
	TemplateID string `json:"templateId,omitempty"`
	// UseSavedCredentials checks the credentials saved for the service
	// principal instead of Credentials, which must then be empty.
	UseSavedCredentials bool `json:"useSavedCredentials,omitempty"`
	// Credentials are the credentials to check, for example BaseAddress
	// and SecretToken.
	Credentials []SecretKeyValue `json:"credentials,omitempty"`
}

// LogValue implements slog.LogValuer, with credential values redacted:
// credentials is a group of the credentials' keys.
func (r ValidateCredentialsRequest) LogValue() slog.Value {
	creds := make([]slog.Attr, len(r.Credentials))
	for i, c := range r.Credentials {
		creds[i] = slog.String(string(c.Key), redact(c.Value))
	}
	return slog.GroupValue(
		slog.String("applicationIdentifier", r.ApplicationIdentifier),
		slog.String("templateId", r.TemplateID),
		slog.Bool("useSavedCredentials", r.UseSavedCredentials),
		slog.Attr{Key: "credentials", Value: slog.GroupValue(creds...)},
	)
}
