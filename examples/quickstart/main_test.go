package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/examples/internal/demo"
	"github.com/graphsync/graphsync/examples/internal/testenv"
	"github.com/graphsync/graphsync/graphtest"
)

// clearEnv unsets every AZURE_* and GRAPHSYNC_* variable for the test.
func clearEnv(t *testing.T) { testenv.Clear(t) }

func TestQuickstartAgainstFake(t *testing.T) {
	clearEnv(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), nil, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"Offline", "created", "started", "paused", "deleted"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestHelpDoesNothingElse(t *testing.T) {
	clearEnv(t)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if out.Len() != 0 || !strings.Contains(errb.String(), "-yes") || strings.Contains(errb.String(), "created") {
		t.Fatalf("stdout %q\nstderr %q", out.String(), errb.String())
	}
}

func TestRealTenantNeedsConfirmation(t *testing.T) {
	clearEnv(t)
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "sp-1")
	for _, answer := range []string{"", "n\n", "no\n", "maybe\n"} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), nil, strings.NewReader(answer), &out, &errb); code != 2 {
			t.Fatalf("answer %q: exit %d", answer, code)
		}
		if !strings.Contains(out.String(), "Continue? [y/N]") || !strings.Contains(errb.String(), "nothing was changed") {
			t.Fatalf("answer %q: stdout %q stderr %q", answer, out.String(), errb.String())
		}
	}
	// Configured but incomplete: stop before asking.
	t.Setenv("GRAPHSYNC_SERVICE_PRINCIPAL_ID", "")
	t.Setenv("AZURE_TENANT_ID", "t")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-yes"}, strings.NewReader(""), &out, &errb); code != 2 ||
		!strings.Contains(errb.String(), "service principal is missing") || strings.Contains(out.String(), "Offline") {
		t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errb.String())
	}
	// -demo forces the fake.
	out.Reset()
	if code := run(context.Background(), []string{"-demo"}, strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), "Offline") {
		t.Fatalf("-demo: exit %d\n%s", code, out.String())
	}
}

// Issue #21: what Graph sends (here a created job whose ID and status
// would retitle the terminal and forge a line) is printed through the
// one cleaning rule, on stdout and stderr.
func TestHostileAnswersArePrintedCleaned(t *testing.T) {
	clearEnv(t)
	connect = func(opts *graphsync.ClientOptions, fo *graphtest.Options, setup func(*graphtest.Server), real bool, sp string) (*demo.Env, error) {
		env, err := demo.Connect(opts, fo, setup, false, sp)
		if err == nil {
			env.Fake.InjectFault(graphtest.Fault{Method: "POST", PathContains: "/jobs", Status: 201,
				Body: `{"id":"job\u001b]0;pwned\u0007","templateId":"scim","schedule":{"state":"Disabled\r\nforged"},"status":{"code":"Paused"}}`})
		}
		return env, err
	}
	defer func() { connect = demo.Connect }()
	var out, errb bytes.Buffer
	run(context.Background(), []string{"-demo"}, strings.NewReader(""), &out, &errb)
	all := out.String() + errb.String()
	if strings.ContainsAny(all, "\x1b\x07\r") || !strings.Contains(out.String(), `created  job\x1b]0;pwned\a (template scim): schedule Disabled\r\nforged`) {
		t.Fatalf("stdout %q\nstderr %q", out.String(), errb.String())
	}
}
