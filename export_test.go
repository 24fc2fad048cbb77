package graphsync

// SetMaxResponseBody sets the bound on an answer's body for a test and
// returns the bound it replaced.
func SetMaxResponseBody(n int) (old int) {
	old, maxResponseBody = maxResponseBody, n
	return old
}
