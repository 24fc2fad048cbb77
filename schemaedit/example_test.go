package schemaedit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
	"github.com/graphsync/graphsync/schemaedit"
)

// A schema as GetJobSchema returns it (shortened).
const live = `{
  "id": "scim.1", "version": "Date:2026-01-05T10:00:00Z", "directories": [],
  "synchronizationRules": [{
    "id": "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8", "name": "USER_OUTBOUND_USER",
    "sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": "customappsso",
    "objectMappings": [{
      "sourceObjectName": "User", "targetObjectName": "User", "scope": null,
      "attributeMappings": [
        {"defaultValue": null, "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged", "flowType": "Always",
         "matchingPriority": 1, "targetAttributeName": "userName",
         "source": {"expression": "[userPrincipalName]", "name": "userPrincipalName", "parameters": [], "type": "Attribute"}},
        {"defaultValue": null, "exportMissingReferences": false, "flowBehavior": "FlowWhenChanged", "flowType": "Always",
         "matchingPriority": 0, "targetAttributeName": "displayName",
         "source": {"expression": "[displayName]", "name": "displayName", "parameters": [], "type": "Attribute"}}
      ]}]}]}`

func Example() {
	var s models.SynchronizationSchema
	if err := json.Unmarshal([]byte(live), &s); err != nil {
		log.Fatal(err)
	}
	before, _ := schemaedit.Clone(s) // the edits change s in place

	om, err := schemaedit.FindObjectMapping(&s, "USER_OUTBOUND_USER", "User", "User")
	if err != nil {
		log.Fatal(err)
	}
	// An expression that does not parse is refused, and nothing changes.
	err = schemaedit.SetMapping(om, schemaedit.Expression("displayName", `Join(" ", [givenName], [surname]`))
	fmt.Println(err)

	must(schemaedit.SetMapping(om, schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`)))
	nick := schemaedit.Direct("nickName", "mailNickname")
	nick.FlowType = models.FlowTypeObjectAddOnly
	must(schemaedit.AddMapping(om, nick))
	must(schemaedit.SetScopeGroup(om, schemaedit.Group("Employees",
		schemaedit.Clause("employeeType", "EQUALS", "Employee"), schemaedit.Clause("accountEnabled", "IS TRUE"))))

	changes, err := schemaedit.Diff(before, s)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(schemaedit.Text(changes))
	// Output:
	// schemaedit: invalid: mapping of "displayName": expression: syntax error at line 1, column 33: missing ")" to close "Join"( at offset 4
	// ~ scoping filter of "User"→"User" in rule "USER_OUTBOUND_USER" ("03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8")
	//     old: none: every object is in scope
	//     new: group "Employees": [employeeType] EQUALS "Employee" and [accountEnabled] IS TRUE
	// ~ attribute mapping "displayName" of "User"→"User" in rule "USER_OUTBOUND_USER" ("03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8")
	//     old: Direct [displayName]
	//     new: Expression Join(" ", [givenName], [surname])
	// + attribute mapping "nickName" of "User"→"User" in rule "USER_OUTBOUND_USER" ("03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8")
	//     Direct [mailNickname]
	//     flowBehavior FlowWhenChanged, flowType ObjectAddOnly
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// README:begin schemaedit
// useFullName maps users' displayName from their given name and surname,
// and changes nothing else: Graph replaces the whole schema on PUT.
func useFullName(ctx context.Context, client *graphsync.Client, spID, jobID string) error {
	live, err := client.GetJobSchema(ctx, spID, jobID)
	if err != nil {
		return err
	}
	desired, err := schemaedit.Clone(*live) // the edits change a schema in place
	if err != nil {
		return err
	}
	users, err := schemaedit.FindObjectMapping(&desired, "", "User", "")
	if err != nil {
		return err
	}
	// Parsed here: an expression with a syntax error is never sent.
	err = schemaedit.SetMapping(users, schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`))
	if err != nil {
		return err
	}
	changes, err := schemaedit.Diff(*live, desired)
	if err != nil {
		return err
	}
	fmt.Print(schemaedit.Text(changes))
	return client.UpdateJobSchema(ctx, spID, jobID, desired)
}

// README:end

func Example_job() {
	srv := graphtest.NewServer(nil)
	defer srv.Close()
	srv.AddServicePrincipal("sp-1")
	client, _ := srv.NewClient()
	ctx := context.Background()
	job, _ := client.CreateJob(ctx, "sp-1", models.SynchronizationJob{TemplateID: "scim"})

	if err := useFullName(ctx, client, "sp-1", job.ID); err != nil {
		log.Fatal(err)
	}
	s, _ := client.GetJobSchema(ctx, "sp-1", job.ID)
	users, _ := schemaedit.FindObjectMapping(s, "", "User", "")
	m, _ := schemaedit.GetMapping(users, "displayName")
	fmt.Println(m)
	// Output:
	// ~ attribute mapping "displayName" of "User"→"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" in rule "USERGROUP_OUTBOUND_USERGROUP" ("03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8")
	//     old: Direct [displayName]
	//     new: Expression Join(" ", [givenName], [surname])
	// Expression Join(" ", [givenName], [surname])
}
