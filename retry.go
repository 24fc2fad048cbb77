package graphsync

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// RetryPolicy says which failed requests are sent again and for how long.
//
// GET, PUT, PATCH and DELETE are retried on 429, 503 and 504. POST is
// retried only on 429, which means the server did not act; a POST that got
// 503 or 504 may have been carried out, so it is retried only with
// RetryPOSTOnUnavailable. Transport errors are not retried.
//
// The wait before a retry is the answer's Retry-After (seconds or an HTTP
// date), else BaseDelay doubled for each attempt. A Retry-After further
// away than MaxRetryAfter cannot be honoured: the call ends at once with
// that answer. A wait that would pass MaxWait, or the context's deadline,
// is not started either: the call returns the answer that asked for it.
type RetryPolicy struct {
	// MaxAttempts is the number of sends in all, first one included.
	// 1 disables retries; 0 means the default (4).
	MaxAttempts int
	// MaxWait caps the total time spent waiting between attempts; a
	// retry whose delay would pass it is not made and the last error is
	// returned. 0 means the default (2 minutes).
	MaxWait time.Duration
	// BaseDelay is the first wait when the server gives no Retry-After;
	// it doubles with each attempt, up to 30 s. 0 means 1 s.
	BaseDelay time.Duration
	// RetryPOSTOnUnavailable also retries POSTs on 503 and 504. Only set
	// it when sending the request twice is harmless.
	RetryPOSTOnUnavailable bool
}

// DefaultRetryPolicy is used when ClientOptions.Retry is nil.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 4, MaxWait: 2 * time.Minute, BaseDelay: time.Second}

// MaxRetryAfter is the longest Retry-After graphsync honours. A longer one
// ends the call with the answer that carried it, and does not pause the
// limiter: no single answer can hold a shared limiter for more than this.
const MaxRetryAfter = 24 * time.Hour

// maxBackoff caps the doubling of BaseDelay.
const maxBackoff = 30 * time.Second

// withDefaults returns p with its zero fields set to the defaults.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultRetryPolicy.MaxAttempts
	}
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultRetryPolicy.MaxWait
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultRetryPolicy.BaseDelay
	}
	return p
}

func (p RetryPolicy) retryable(m abs.HttpMethod, status int) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return m != abs.POST || p.RetryPOSTOnUnavailable
	}
	return false
}

// backoff is the wait before retry number attempt (1-based) when the
// server named none.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	if attempt > 30 {
		return maxBackoff
	}
	d := p.BaseDelay << (attempt - 1)
	if d <= 0 || d > maxBackoff {
		d = maxBackoff
	}
	return d
}

// delay returns how long to wait before sending again after e, and
// whether that wait can be honoured at all: the Retry-After if the
// server sent a usable one, else the backoff for attempt.
func (p RetryPolicy) delay(e *ResponseError, attempt int) (d time.Duration, honoured bool) {
	if e.RetryAfter > 0 {
		return e.RetryAfter, e.RetryAfter <= MaxRetryAfter
	}
	return p.backoff(attempt), true
}

// parseRetryAfter reads a Retry-After value: delay-seconds (digits only)
// or an HTTP date. The result is never negative and never wraps: a value
// too large for a time.Duration saturates at its maximum. Anything else,
// or a date not in the future, gives 0: no delay named.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > math.MaxInt64/int64(time.Second) {
			return math.MaxInt64 // more digits than any real delay
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	return max(t.Sub(now), 0) // Sub saturates instead of wrapping
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fitsDeadline reports whether a wait of d starting at now ends before
// ctx's deadline (always, when ctx has none): a wait that ends at the
// deadline leaves no time to send.
func fitsDeadline(ctx context.Context, now time.Time, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || d < dl.Sub(now)
}
