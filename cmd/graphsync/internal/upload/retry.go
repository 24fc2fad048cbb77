package upload

import (
	"strings"
	"time"

	"github.com/graphsync/graphsync/models"
)

// transientFailure reports whether a record's failure is the service's,
// so that sending the record again may succeed, rather than its data's.
// Graph's provisioningErrorInfo says whose failure it is in errorCategory:
// failure is the provisioning service's own, nonServiceFailure is not (the
// record's values, the directory's state, the configuration). Whatever
// the category, an error code that says the service was busy or timed out
// (throttling, a timeout, an unavailable or erring service) is
// transient too; any other is a data error, reported with Graph's reason
// and recommended action, and not sent again.
func transientFailure(category models.LogErrorCategory, code string) bool {
	if strings.EqualFold(string(category), string(models.LogErrorFailure)) {
		return true
	}
	c := strings.ToLower(code)
	for _, busy := range []string{"timeout", "timedout", "throttl", "toomanyrequests", "serviceunavailable",
		"temporarilyunavailable", "internalservererror", "servererror"} {
		if strings.Contains(c, busy) {
			return true
		}
	}
	return false
}

// maxRetryWait caps the wait before a retry.
const maxRetryWait = time.Hour

// retryWait is how long to wait before retry attempt (1, 2, …): base,
// doubled for each attempt after the first, at most maxRetryWait.
func retryWait(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxRetryWait; i++ {
		d *= 2
	}
	return min(d, maxRetryWait)
}
