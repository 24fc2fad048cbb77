// Package sdkcompat holds the tests that drive graphtest with Microsoft's
// official Go SDK, github.com/microsoftgraph/msgraph-sdk-go, as shipped:
// its Graph request adapter with the default middleware (gzip-compressed
// request bodies, silent retries of 429, redirects, telemetry). They keep
// graphtest usable by code written against the SDK, and check that the
// fake refuses what Graph refuses from it.
//
// The package lives in bench/, the module that may depend on the SDK; the
// library's module never does. Run it from the repository root with
//
//	go test -C bench ./sdkcompat
//
// A cold build of the SDK takes minutes and gigabytes of memory.
package sdkcompat
