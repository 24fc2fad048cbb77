// Package demotenant is the tenant of graphsync's offline demo and of
// graphsync fake-graph: a graphtest server holding one service principal
// with a provisioning job (template scim) and a job of API-driven inbound
// provisioning (template API2AAD), the directory's sample users and group,
// and three people of the sample HR export as an earlier upload left them.
package demotenant

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/graphtest"
	"github.com/graphsync/graphsync/models"
)

// ServicePrincipalID is the demo's service principal.
const ServicePrincipalID = "c8c95753-f628-48e1-9fab-76c2d4cf624c"

// GroupID is the sample group, Sales.
const GroupID = "8213fd99-d6b6-417b-8e13-af6334856215"

// HRSample is the sample HR export (60 people), as `graphsync upload`
// reads one.
//
//go:embed hr.csv
var HRSample []byte

// HRSampleName is how messages name HRSample.
const HRSampleName = "the demo's sample HR export"

// Tenant is a running demo tenant.
type Tenant struct {
	Server *graphtest.Server
	// ServicePrincipalID, JobID and InboundJobID name the service
	// principal, its provisioning job and its inbound job.
	ServicePrincipalID, JobID, InboundJobID string
}

// New starts a demo tenant on a graphtest server made with opts.
func New(opts *graphtest.Options) (*Tenant, error) {
	srv := graphtest.NewServer(opts)
	t := &Tenant{Server: srv, ServicePrincipalID: ServicePrincipalID}
	if err := t.seed(); err != nil {
		srv.Close()
		return nil, err
	}
	return t, nil
}

// Close stops the server.
func (t *Tenant) Close() { t.Server.Close() }

func (t *Tenant) seed() error {
	srv := t.Server
	srv.AddServicePrincipal(ServicePrincipalID, "scim", "BoxOutDelta", "API2AAD")
	for i := 1; i <= SampleUsers; i++ {
		srv.AddUser(SampleUser(i), fmt.Sprintf("user%02d@contoso.com", i))
	}
	srv.AddGroup(GroupID, "Sales")
	// Three people of the HR sample as an earlier upload left them, so
	// that an upload of the sample shows an update (E1001's title
	// changed), a disable (E1002 left) and a skip (E1003 unchanged).
	recs, err := hrcsv.Read(HRSampleName, bytes.NewReader(HRSample))
	if err != nil {
		return err
	}
	for _, r := range recs {
		u := r.User
		switch u.ExternalID {
		case "E1001":
			u.Title = "Associate"
		case "E1002":
			u.Active = nil
		case "E1003":
		default:
			continue
		}
		srv.AddInboundUser(u)
	}
	c, err := graphsyncClient(srv)
	if err != nil {
		return err
	}
	ctx := context.Background()
	job, err := c.CreateJob(ctx, ServicePrincipalID, models.SynchronizationJob{TemplateID: "scim"})
	if err != nil {
		return fmt.Errorf("demo tenant: creating the provisioning job: %w", err)
	}
	inbound, err := c.CreateJob(ctx, ServicePrincipalID, models.SynchronizationJob{TemplateID: "API2AAD"})
	if err != nil {
		return fmt.Errorf("demo tenant: creating the inbound job: %w", err)
	}
	t.JobID, t.InboundJobID = job.ID, inbound.ID
	return nil
}

// SampleUsers is how many sample users the directory holds.
const SampleUsers = 21

// SampleUser returns the ID of sample user i (1 to SampleUsers).
func SampleUser(i int) string { return fmt.Sprintf("9bb0f679-a883-4a6f-8260-35b491b8b8%02d", i) }

// SampleSubjects is what `graphsync provision` provisions in the demo
// when it is given no subjects: the 21 users, the Sales group with two
// members, and one user listed twice (reported as a duplicate).
func SampleSubjects() []models.Subject {
	var out []models.Subject
	for i := 1; i <= SampleUsers; i++ {
		out = append(out, models.User(SampleUser(i)))
	}
	out = append(out, models.Group(GroupID, SampleUser(1), SampleUser(2)))
	out = append(out, models.User(SampleUser(3)))
	return out
}
