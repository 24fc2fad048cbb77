package main

import "testing"

func TestQuickstartAgainstFake(t *testing.T) {
	for _, k := range []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "GRAPHSYNC_SERVICE_PRINCIPAL_ID", "GRAPHSYNC_TEMPLATE_ID"} {
		t.Setenv(k, "")
	}
	if err := run(); err != nil {
		t.Fatal(err)
	}
}
