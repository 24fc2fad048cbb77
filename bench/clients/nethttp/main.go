// Command nethttp runs the benchmark workload with a hand-written net/http
// and encoding/json client: the floor. It decodes as much as graphsync
// does (the job; the result's key and value strings), so the comparison
// is of the same work.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/graphsync/graphsync/bench/internal/harness"
)

type job struct {
	ID         string `json:"id"`
	TemplateID string `json:"templateId"`
	Schedule   *struct {
		Expiration *time.Time `json:"expiration"`
		Interval   string     `json:"interval"`
		State      string     `json:"state"`
	} `json:"schedule"`
	Status *struct {
		Code                            string    `json:"code"`
		CountSuccessiveCompleteFailures int64     `json:"countSuccessiveCompleteFailures"`
		EscrowsPruned                   bool      `json:"escrowsPruned"`
		SteadyStateFirstAchievedTime    time.Time `json:"steadyStateFirstAchievedTime"`
		SteadyStateLastAchievedTime     time.Time `json:"steadyStateLastAchievedTime"`
	} `json:"status"`
}

type subject struct {
	ObjectID       string `json:"objectId"`
	ObjectTypeName string `json:"objectTypeName"`
	Links          *struct {
		Members []subject `json:"members,omitempty"`
	} `json:"links,omitempty"`
}

type provisionBody struct {
	Parameters []struct {
		RuleID   string    `json:"ruleId"`
		Subjects []subject `json:"subjects"`
	} `json:"parameters"`
}

func main() {
	harness.Main("net/http", func(base string) (harness.Op, error) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		var body provisionBody
		body.Parameters = make([]struct {
			RuleID   string    `json:"ruleId"`
			Subjects []subject `json:"subjects"`
		}, 1)
		g := subject{ObjectID: harness.GroupID, ObjectTypeName: "Group"}
		g.Links = &struct {
			Members []subject `json:"members,omitempty"`
		}{Members: []subject{{ObjectID: harness.Member1, ObjectTypeName: "User"}, {ObjectID: harness.Member2, ObjectTypeName: "User"}}}
		body.Parameters[0].RuleID = harness.RuleID
		body.Parameters[0].Subjects = []subject{g}
		jobsURL := base + "/v1.0/servicePrincipals/" + url.PathEscape(harness.ServicePrincipalID) + "/synchronization/jobs"
		if harness.Bulk() {
			return bulkUpload(hc, jobsURL+"/"+url.PathEscape(harness.JobID)+"/bulkUpload"), nil
		}
		post := func(ctx context.Context, u string, in, out any) error {
			b, err := json.Marshal(in)
			if err != nil {
				return err
			}
			req, err := http.NewRequestWithContext(ctx, "POST", u, bytes.NewReader(b))
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+harness.Token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			if resp.StatusCode/100 != 2 {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return json.Unmarshal(raw, out)
		}
		return func(ctx context.Context) error {
			var j job
			if err := post(ctx, jobsURL, map[string]string{"templateId": harness.TemplateID}, &j); err != nil {
				return err
			}
			var pair struct{ Key, Value string }
			if err := post(ctx, jobsURL+"/"+url.PathEscape(j.ID)+"/provisionOnDemand", body, &pair); err != nil {
				return err
			}
			var key struct {
				Result  string            `json:"result"`
				Details map[string]string `json:"details"`
			}
			var value map[string]any
			if err := json.Unmarshal([]byte(pair.Key), &key); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(pair.Value), &value); err != nil {
				return err
			}
			if key.Result != "Success" {
				return fmt.Errorf("result %s", key.Result)
			}
			return nil
		}, nil
	})
}

// The bulkUpload body, as plain structs.
type (
	scimName struct {
		GivenName  string `json:"givenName,omitempty"`
		FamilyName string `json:"familyName,omitempty"`
	}
	enterprise struct {
		EmployeeNumber string `json:"employeeNumber,omitempty"`
		Department     string `json:"department,omitempty"`
	}
	scimUser struct {
		Schemas     []string    `json:"schemas"`
		ExternalID  string      `json:"externalId"`
		UserName    string      `json:"userName"`
		Name        *scimName   `json:"name,omitempty"`
		DisplayName string      `json:"displayName,omitempty"`
		Active      bool        `json:"active"`
		Enterprise  *enterprise `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	}
	operation struct {
		Method string   `json:"method"`
		BulkID string   `json:"bulkId"`
		Path   string   `json:"path"`
		Data   scimUser `json:"data"`
	}
	bulkRequest struct {
		Schemas      []string    `json:"schemas"`
		Operations   []operation `json:"Operations"`
		FailOnErrors *int        `json:"failOnErrors"`
	}
)

// bulkUpload builds the same 50 users each iteration and posts them.
func bulkUpload(hc *http.Client, u string) harness.Op {
	schemas := []string{"urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}
	return func(ctx context.Context) error {
		body := bulkRequest{Schemas: []string{"urn:ietf:params:scim:api:messages:2.0:BulkRequest"}}
		for i := range harness.BulkUsers {
			id, userName, given, family, dept := harness.BulkUser(i)
			body.Operations = append(body.Operations, operation{Method: "POST", BulkID: id, Path: "/Users", Data: scimUser{
				Schemas: schemas, ExternalID: id, UserName: userName, DisplayName: given + " " + family,
				Name: &scimName{GivenName: given, FamilyName: family}, Active: true,
				Enterprise: &enterprise{EmployeeNumber: id, Department: dept},
			}})
		}
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, "POST", u, bytes.NewReader(b))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+harness.Token)
		req.Header.Set("Content-Type", "application/scim+json")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") == "" {
			return fmt.Errorf("status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		return nil
	}
}
