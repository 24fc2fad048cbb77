package models_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/graphsync/graphsync/models"
)

func ExampleBulkUploadChunks() {
	users := []models.SCIMUser{
		{ExternalID: "701984", UserName: "bjensen@example.com"},
		{ExternalID: "701985", UserName: "kjensen@example.com",
			Extensions: map[string]map[string]any{"urn:contoso:employee": {"JobCode": "AB-1003"}}},
		{UserName: "no-external-id@example.com"},
	}
	for req := range models.BulkUploadChunks(slices.Values(users)) {
		for _, op := range req.Operations {
			fmt.Println(op.Method, op.Path, op.BulkID, op.Data.Schemas)
		}
		// The third user has no externalId, which Graph requires.
		fmt.Println(req.Validate())
	}
	// Output:
	// POST /Users 701984 [urn:ietf:params:scim:schemas:core:2.0:User urn:ietf:params:scim:schemas:extension:enterprise:2.0:User]
	// POST /Users 701985 [urn:ietf:params:scim:schemas:core:2.0:User urn:ietf:params:scim:schemas:extension:enterprise:2.0:User urn:contoso:employee]
	// POST /Users record-3 [urn:ietf:params:scim:schemas:core:2.0:User urn:ietf:params:scim:schemas:extension:enterprise:2.0:User]
	// Operations[2].data.externalId: is required: Graph needs the user's identifier in the source system
}

func ExampleProvisioningLogQuery_Filter() {
	q := models.ProvisioningLogQuery{
		JobID:            "API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52",
		SourceIdentityID: "O'Brien",
		After:            time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC),
	}
	fmt.Println(q.Filter())
	// Output:
	// jobId eq 'API2AAD.b16687d38faf42adb29892cdcaf01c6e.1a03de52' and sourceIdentity/id eq 'O''Brien' and activityDateTime gt 2025-03-01T09:30:00Z
}

// Every filter Graph documents for the provisioning logs has a typed field:
// eq on the fields of the query, contains in Contains, the durations
// (documented in beta) in whole milliseconds.
func ExampleProvisioningLogQuery_Filter_everyKind() {
	q := models.ProvisioningLogQuery{
		Status:             models.LogStatusFailure,
		ProvisioningAction: models.LogActionCreate,
		TargetSystemName:   "Azure Active Directory",
		Contains:           models.LogContains{SourceIdentityName: "O'Brien", InitiatedByName: "Provisioning"},
		LongerThan:         2 * time.Second,
		OrderBy:            models.LogNewestFirst, // sent as $orderby, not in the filter
	}
	fmt.Println(q.Filter())
	// Output:
	// provisioningAction eq 'create' and provisioningStatusInfo/status eq 'failure' and targetSystem/displayName eq 'Azure Active Directory' and contains(sourceIdentity/displayName,'O''Brien') and contains(initiatedBy/displayName,'Provisioning') and durationInMilliseconds gt 2000
}
