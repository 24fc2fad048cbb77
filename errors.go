package graphsync

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
)

// Sentinel errors for the common checks. A *ResponseError matches the one
// for its status code with errors.Is:
//
//	if errors.Is(err, graphsync.ErrNotFound) { ... }
var (
	ErrNotFound     = errors.New("graphsync: not found")          // 404
	ErrUnauthorized = errors.New("graphsync: unauthorized")       // 401
	ErrForbidden    = errors.New("graphsync: forbidden")          // 403
	ErrConflict     = errors.New("graphsync: conflict")           // 409
	ErrThrottled    = errors.New("graphsync: throttled")          // 429
	ErrInvalidInput = errors.New("graphsync: invalid input")      // any *ValidationError
	ErrUnsupported  = errors.New("graphsync: not supported here") // e.g. provisionOnDemand in the China cloud
	// ErrCredential matches the error of a call whose credential could
	// not get a token. Nothing was sent, and every other call with the
	// same credential will likely fail the same way.
	ErrCredential = errors.New("graphsync: the credential could not get a token")
)

// ResponseError is returned for every answer from Graph that is not 2xx.
// Fields Graph did not send are empty; Error never fails on a missing,
// empty or non-JSON error body.
type ResponseError struct {
	// StatusCode is the HTTP status, e.g. 404.
	StatusCode int
	// Method and Path describe the request, e.g. "POST" and
	// "/v1.0/servicePrincipals/…/synchronization/jobs". Path has no query
	// and no host.
	Method, Path string
	// Code, Message and Target are Graph's error.code, error.message and
	// error.target.
	Code, Message, Target string
	// Details are Graph's error.details, when present.
	Details []ErrorDetail
	// RequestID and ClientRequestID identify the request for Microsoft
	// support, from innerError or the response headers.
	RequestID, ClientRequestID string
	// Date is innerError.date (Graph writes it without a time zone; it is
	// read as UTC). Zero when absent.
	Date time.Time
	// RetryAfter is the delay the server asked for (Retry-After header, in
	// seconds or as an HTTP date), zero when absent or unparseable. A
	// value too large for a Duration saturates; one above MaxRetryAfter
	// is not honoured.
	RetryAfter time.Duration
	// Body is the raw response body, at most 64 KiB of it. The fields
	// above keep what Graph sent as it is; only Error cleans them.
	Body []byte
}

// ErrorDetail is one entry of Graph's error.details.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target"`
}

// MaxErrorLength bounds the length in bytes of ResponseError.Error.
const MaxErrorLength = 2048

// Bounds of each field in ResponseError.Error, in bytes.
const (
	maxPathLength    = 512
	maxCodeLength    = 128
	maxMessageLength = 1024
	maxIDLength      = 128
)

// Error returns one line of at most MaxErrorLength bytes: method, path,
// status, Graph code and message, and the request-id. Whatever the answer
// held, the line shows its control characters, line and paragraph
// separators and format characters as escapes (\n, \x1b, \u202e: see
// package internal/printable, the one rule for text graphsync prints)
// instead of holding them, and each field is cut to a bound, marked with
// "…". Code and Message are kept whole in the fields, and the raw answer
// in Body.
func (e *ResponseError) Error() string {
	var b strings.Builder
	b.WriteString("graphsync: ")
	if e.Method != "" {
		b.WriteString(printable.Cut(e.Method, 16))
		b.WriteByte(' ')
	}
	if e.Path != "" {
		b.WriteString(printable.Cut(e.Path, maxPathLength))
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if c := printable.Cut(e.Code, maxCodeLength); c != "" {
		b.WriteString(": ")
		b.WriteString(c)
	}
	if m := printable.Cut(e.Message, maxMessageLength); m != "" {
		b.WriteString(": ")
		b.WriteString(m)
	}
	if id := printable.Cut(e.RequestID, maxIDLength); id != "" {
		b.WriteString(" (request-id ")
		b.WriteString(id)
		b.WriteByte(')')
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return printable.Cut(b.String(), MaxErrorLength)
}

// Is matches the sentinel for the status code.
func (e *ResponseError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrThrottled:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

const maxErrorBody = 64 << 10

// newResponseError builds a ResponseError from a non-2xx answer. now is the
// time used for an HTTP-date Retry-After. Every field built from the
// answer has red's secrets taken out (see redactor), before anything
// (a log line, a span, the caller) can see it.
func newResponseError(method, path string, status int, header http.Header, body []byte, now time.Time, red redactor) *ResponseError {
	e := &ResponseError{
		StatusCode:      status,
		Method:          method,
		Path:            red.text(path),
		RequestID:       red.text(header.Get("request-id")),
		ClientRequestID: red.text(header.Get("client-request-id")),
		RetryAfter:      parseRetryAfter(header.Get("Retry-After"), now),
	}
	// Body keeps at most maxErrorBody bytes, redacted before the cut: a
	// window past it (room for the longest secret, however encoded) is
	// redacted first, so that no secret is cut in half and half kept.
	window := body
	if n := maxErrorBody + 64*red.longest(); len(window) > n {
		window = window[:n]
	}
	e.Body = red.body(window)
	if len(e.Body) > maxErrorBody {
		e.Body = e.Body[:maxErrorBody]
	}
	// Graph's code and message are read from the whole body.
	var env struct {
		Error *struct {
			Code       string          `json:"code"`
			Message    string          `json:"message"`
			Target     string          `json:"target"`
			Details    []ErrorDetail   `json:"details"`
			InnerError json.RawMessage `json:"innerError"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil || env.Error == nil {
		// Not Graph's format (a gateway page, an empty body): the status
		// line, headers and raw body are all there is.
		return e
	}
	e.Code, e.Message, e.Target = red.text(env.Error.Code), red.text(env.Error.Message), red.text(env.Error.Target)
	e.Details = env.Error.Details
	for i := range e.Details {
		d := &e.Details[i]
		d.Code, d.Message, d.Target = red.text(d.Code), red.text(d.Message), red.text(d.Target)
	}
	var inner struct {
		Date            string `json:"date"`
		RequestID       string `json:"request-id"`
		ClientRequestID string `json:"client-request-id"`
	}
	if json.Unmarshal(env.Error.InnerError, &inner) == nil {
		if inner.RequestID != "" {
			e.RequestID = red.text(inner.RequestID)
		}
		if inner.ClientRequestID != "" {
			e.ClientRequestID = red.text(inner.ClientRequestID)
		}
		e.Date = parseGraphDate(inner.Date)
	}
	return e
}

// parseGraphDate reads innerError.date, which Graph writes without a zone
// ("2024-01-01T00:00:00"); it is UTC. Other forms are accepted when they
// carry a zone. Unparseable text gives the zero time.
func parseGraphDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// ValidationError reports an argument that was refused before any request
// was sent. It matches ErrInvalidInput with errors.Is.
type ValidationError struct {
	// Field names the argument, e.g. "servicePrincipalID" or
	// "parameters[0].subjects[1].objectTypeName".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

func (e *ValidationError) Error() string {
	return "graphsync: invalid " + e.Field + ": " + e.Reason
}

// Is matches ErrInvalidInput.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

func invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

// invalidModel turns the error of a models Validate method into a
// *ValidationError whose field is the argument's name followed by the
// *models.FieldError's path, e.g. "req.Operations[3].bulkId".
func invalidModel(arg string, err error) error {
	var fe *models.FieldError
	if errors.As(err, &fe) {
		return invalid(arg+"."+fe.Field, fe.Reason)
	}
	return invalid(arg, err.Error())
}

// checkID validates an ID that goes into a URL path segment. IDs are always
// percent-encoded into the path; "." and ".." are refused because some
// servers and proxies resolve them as path steps even when encoded.
func checkID(field, id string) error {
	switch {
	case id == "":
		return invalid(field, "must not be empty")
	case id == "." || id == "..":
		return invalid(field, fmt.Sprintf("%q is not an ID", id))
	case !utf8.ValidString(id):
		return invalid(field, "must be valid UTF-8")
	case strings.ContainsFunc(id, func(r rune) bool { return !unicode.IsGraphic(r) || r != ' ' && unicode.IsSpace(r) }):
		return invalid(field, "must not contain control or format characters (C0 and C1 controls, DEL, bidi controls, line separators)")
	}
	return nil
}
