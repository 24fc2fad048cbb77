package upload

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/hrcsv"
	"github.com/graphsync/graphsync/models"
)

// validateRun is -validate: it checks that every attribute the mapping
// (or the header) sets is one the job accepts, the attributes of the
// source directory of the job's schema (for an API-driven job, the
// directory "API": the SCIM attributes Entra's attribute list for the API
// shows), and reads every record of -csv as an upload would. It sends
// nothing: it reads the job's schema.
func (p *program) validateRun(ctx context.Context, stdin io.Reader) (int, error) {
	cfg := p.cfg
	var attrs []string
	source := cfg.mapPath
	if cfg.csvPath != "" || (p.mapping == nil && cfg.IsDemo()) {
		records, header, err := p.readInput(stdin, cfg.IsDemo())
		if err != nil {
			return exitUsage, err
		}
		attrs = header
		if source == "" {
			source = "the header"
		}
		p.stderr.Printf("%d record(s) read without an error.", len(records))
	} else if p.mapping != nil {
		attrs = p.mapping.Attributes()
	} else {
		return exitUsage, usagef("-validate checks a mapping (-map FILE) or an export's header (-csv FILE)")
	}
	e, err := p.inv.Connect(nil)
	if err != nil {
		return exitUsage, err
	}
	defer e.Close()
	p.inv.DemoNotice(e)
	schema, err := e.Client.GetJobSchema(ctx, e.ServicePrincipalID, e.JobID)
	if err != nil {
		if ctx.Err() != nil {
			return exitInterrupted, err
		}
		return exitFailed, fmt.Errorf("reading the job's schema: %w", err)
	}
	accepted, dirs := acceptedAttributes(schema)
	if len(accepted) == 0 {
		return exitUsage, usagef("the schema of job %s lists no attribute of a source directory: is it a job of API-driven inbound provisioning?", e.JobID)
	}
	tw := p.stdout.Table("ATTRIBUTE", "ACCEPTED BY THE JOB")
	missing := 0
	for _, a := range attrs {
		name, ok := accepted[a]
		if !ok {
			missing++
			name = "no"
		}
		tw.Row(a, name)
	}
	tw.Flush()
	if missing > 0 {
		return exitUsage, usagef("%d attribute(s) of %s are not in the job's schema (source directory %s): add them to the job's attribute list for the API, or map other attributes; nothing was sent",
			missing, source, strings.Join(dirs, ", "))
	}
	p.stderr.Printf("%d attribute(s) of %s are in the job's schema (source directory %s); nothing was sent.", len(attrs), source, strings.Join(dirs, ", "))
	return exitOK, nil
}

// acceptedAttributes returns the attributes of the objects of the source
// directories of the schema's rules, by the spelling hrcsv.AttributePath
// gives (the name as the schema writes it, as value), and the names of
// those directories.
func acceptedAttributes(s *models.SynchronizationSchema) (map[string]string, []string) {
	sources := map[string]bool{}
	var dirs []string
	for _, r := range s.SynchronizationRules {
		if !sources[strings.ToLower(r.SourceDirectoryName)] {
			sources[strings.ToLower(r.SourceDirectoryName)] = true
			dirs = append(dirs, r.SourceDirectoryName)
		}
	}
	out := map[string]string{}
	for _, d := range s.Directories {
		if !sources[strings.ToLower(d.Name)] {
			continue
		}
		for _, o := range d.Objects {
			for _, a := range o.Attributes {
				key, err := hrcsv.AttributePath(a.Name)
				if err != nil {
					key = strings.ToLower(a.Name)
				}
				out[key] = a.Name
			}
		}
	}
	return out, dirs
}
