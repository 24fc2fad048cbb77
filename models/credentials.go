package models

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// SecretKeyValue is one credential of a service principal's
// synchronization, such as BaseAddress or SecretToken (Graph
// synchronizationSecretKeyStringValuePair). Its Value is a Secret: it is
// sent to Graph, and never shown.
type SecretKeyValue struct {
	// Key names the credential.
	Key SynchronizationSecret `json:"key"`
	// Value is the credential itself. A Value never set (the zero
	// Secret) is not sent; NewSecret("") sends an empty one.
	Value Secret `json:"value"`
	// ODataType is the pair's "@odata.type", sent only when set. Graph
	// needs none; its acquireAccessToken example sends one.
	ODataType string `json:"@odata.type,omitempty"`
}

// Format implements fmt.Formatter: kv prints as fmt prints a struct of
// its Key and Value ({SecretToken <redacted>}; with %+v
// {Key:SecretToken Value:<redacted>}), followed by ODataType only when it
// is set. The Value is formatted as a Secret: never shown.
func (kv SecretKeyValue) Format(f fmt.State, verb rune) {
	spec := fmt.FormatString(f, verb)
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "models.SecretKeyValue{Key:%#v, Value:%#v", kv.Key, kv.Value)
		if kv.ODataType != "" {
			fmt.Fprintf(f, ", ODataType:%#v", kv.ODataType)
		}
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "{Key:%+v Value:%+v", kv.Key, kv.Value)
		if kv.ODataType != "" {
			fmt.Fprintf(f, " ODataType:%+v", kv.ODataType)
		}
	default:
		fmt.Fprintf(f, "{"+spec+" "+spec, kv.Key, kv.Value)
		if kv.ODataType != "" {
			fmt.Fprintf(f, " "+spec, kv.ODataType)
		}
	}
	io.WriteString(f, "}")
}

// Secret is a credential value that refuses to be shown. Formatting it
// with any fmt verb (%v, %+v, %#v, %s, %q, %x…), alone or inside a struct,
// slice, map or pointer, logging it with log/slog (text or JSON handler),
// and encoding it with encoding/json or as text all give "<redacted>"
// (nothing, for an empty value). The value is held behind a pointer, so
// that even fmt's report of a wrong verb, which calls no method, prints
// an address and not the value. The Client sends the value itself to
// Graph (see ValidateCredentialsRequest.GraphJSON and SecretsGraphJSON);
// Reveal returns it, for code that needs it.
//
// A Secret read from JSON gets the value written there, so secrets can be
// read from a file; a "<redacted>" read back from a redacted copy is
// refused by the Client rather than saved. The zero Secret is empty and
// not set (IsZero): the Client sends no value for it, where it sends ""
// for NewSecret("").
type Secret struct {
	v *string
}

// NewSecret returns a Secret holding v.
func NewSecret(v string) Secret { return Secret{v: &v} }

// Reveal returns the value. Do not log or print it.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether s was never set: the zero Secret, or one read
// from JSON null. An empty value from NewSecret("") is set.
func (s Secret) IsZero() bool { return s.v == nil }

// Redacted is what a Secret shows instead of its value.
const Redacted = "<redacted>"

// String returns "<redacted>", or "" for an empty value.
func (s Secret) String() string {
	if s.Reveal() == "" {
		return ""
	}
	return Redacted
}

// GoString returns String quoted, for %#v.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Format implements fmt.Formatter so that no verb shows the value: %#v
// and %q quote String, every other verb writes it.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' || (verb == 'v' && f.Flag('#')) {
		io.WriteString(f, s.GoString())
		return
	}
	io.WriteString(f, s.String())
}

// LogValue implements slog.LogValuer: String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes String as a JSON string: a Secret encoded with
// encoding/json (by a log handler, say) never carries its value.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText returns String.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalJSON reads the value from a JSON string (null is empty).
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v *string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	s.v = v
	return nil
}

// graphSecret is a SecretKeyValue as Graph reads it, with the value:
// what was set, and nothing else (a key, a value, an @odata.type).
type graphSecret struct {
	Key       SynchronizationSecret `json:"key,omitempty"`
	Value     *string               `json:"value,omitempty"`
	ODataType string                `json:"@odata.type,omitempty"`
}

func graphSecrets(kvs []SecretKeyValue) []graphSecret {
	out := make([]graphSecret, len(kvs))
	for i, kv := range kvs {
		out[i] = graphSecret{Key: kv.Key, Value: kv.Value.v, ODataType: kv.ODataType}
	}
	return out
}

// SecretsGraphJSON returns the body that saves kvs (PUT
// /servicePrincipals/{id}/synchronization/secrets): {"value":[...]} with
// the values themselves. It is what the Client sends; never log it.
func SecretsGraphJSON(kvs []SecretKeyValue) ([]byte, error) {
	return json.Marshal(struct {
		Value []graphSecret `json:"value"`
	}{graphSecrets(kvs)})
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

// ValidateCredentialsRequest is the body of validateCredentials: the
// credentials to check against the application, or UseSavedCredentials to
// check those saved with SaveSecrets. What is set is sent, and nothing
// else: an empty string or slice is not sent, a UseSavedCredentials of
// false is (new(false)), a nil one is not. Formatting it or logging it with
// log/slog never shows the values of Credentials.
type ValidateCredentialsRequest struct {
	// ApplicationIdentifier identifies the application (optional).
	ApplicationIdentifier string `json:"applicationIdentifier,omitempty"`
	// TemplateID names the template whose settings apply: optional for a
	// job's credentials, required to check them before any job exists
	// (Client.ValidateTemplateCredentials).
	TemplateID string `json:"templateId,omitempty"`
	// UseSavedCredentials, when true, checks the credentials saved for
	// the service principal instead of Credentials, which must then be
	// empty. Nil sends nothing; new(false) sends false, as Graph's
	// cross-tenant synchronization tutorial does.
	UseSavedCredentials *bool `json:"useSavedCredentials,omitempty"`
	// Credentials are the credentials to check, for example BaseAddress
	// and SecretToken.
	Credentials []SecretKeyValue `json:"credentials,omitempty"`
}

// UsesSavedCredentials reports whether r asks Graph to check the saved
// credentials: UseSavedCredentials is set and true.
func (r ValidateCredentialsRequest) UsesSavedCredentials() bool {
	return r.UseSavedCredentials != nil && *r.UseSavedCredentials
}

// GraphJSON returns the request's body as Graph reads it, credential
// values included (json.Marshal writes each as "<redacted>"). It is what
// the Client sends; never log it.
func (r ValidateCredentialsRequest) GraphJSON() ([]byte, error) {
	return json.Marshal(struct {
		ApplicationIdentifier string        `json:"applicationIdentifier,omitempty"`
		TemplateID            string        `json:"templateId,omitempty"`
		UseSavedCredentials   *bool         `json:"useSavedCredentials,omitempty"`
		Credentials           []graphSecret `json:"credentials,omitempty"`
	}{r.ApplicationIdentifier, r.TemplateID, r.UseSavedCredentials, graphSecrets(r.Credentials)})
}

// LogValue implements slog.LogValuer, with credential values redacted:
// credentials is a group of the credentials' keys. useSavedCredentials
// is left out when it is not set.
func (r ValidateCredentialsRequest) LogValue() slog.Value {
	creds := make([]slog.Attr, len(r.Credentials))
	for i, c := range r.Credentials {
		creds[i] = slog.String(string(c.Key), c.Value.String())
	}
	attrs := []slog.Attr{
		slog.String("applicationIdentifier", r.ApplicationIdentifier),
		slog.String("templateId", r.TemplateID),
	}
	if r.UseSavedCredentials != nil {
		attrs = append(attrs, slog.Bool("useSavedCredentials", *r.UseSavedCredentials))
	}
	return slog.GroupValue(append(attrs, slog.Attr{Key: "credentials", Value: slog.GroupValue(creds...)})...)
}

// CredentialsGraphJSON returns the body that hands kvs to Graph under
// "credentials" (acquireAccessToken): {"credentials":[...]} with the
// values themselves. It is what the Client sends; never log it.
func CredentialsGraphJSON(kvs []SecretKeyValue) ([]byte, error) {
	return json.Marshal(struct {
		Credentials []graphSecret `json:"credentials"`
	}{graphSecrets(kvs)})
}
