package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
)

// templatesCommand is graphsync templates: the synchronization templates
// a service principal's jobs are created from.
func templatesCommand() *cli.Command {
	return &cli.Command{
		Name:    "templates",
		Summary: "list and read the synchronization templates of a service principal",
		Subcommands: []*cli.Command{
			{Name: "list", Summary: "list the templates (a template's ID is what jobs create -template takes)", Flags: spCommand(cli.UsesJSON, templatesList)},
			{Name: "get", Summary: "show one template with its metadata (its schema with -json)", Flags: templatesGet},
		},
	}
}

func templatesList(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
	ts, err := env.Client.ListTemplates(ctx, env.ServicePrincipalID)
	if err != nil {
		return err
	}
	if inv.Config.JSON {
		return inv.Out.JSON(ts)
	}
	t := inv.Out.Table("ID", "FACTORY TAG", "DEFAULT", "DISCOVERABLE", "DESCRIPTION")
	for _, tm := range ts {
		t.Row(tm.ID, tm.FactoryTag, tm.Default, tm.Discoverable, tm.Description)
	}
	return t.Flush()
}

func templatesGet(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJSON)
	id := fs.String("template", "", "the template's ID (graphsync templates list)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		if *id == "" {
			return cli.Usagef("-template is required (graphsync templates list shows the service principal's)")
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			tm, err := env.Client.GetTemplate(ctx, env.ServicePrincipalID, *id)
			if err != nil {
				return err
			}
			if inv.Config.JSON {
				return inv.Out.JSON(tm)
			}
			t := inv.Out.Table("FIELD", "VALUE")
			t.Row("id", tm.ID)
			t.Row("applicationId", tm.ApplicationID)
			t.Row("factoryTag", tm.FactoryTag)
			t.Row("default", tm.Default)
			t.Row("discoverable", tm.Discoverable)
			t.Row("description", tm.Description)
			for _, m := range tm.Metadata {
				t.Row("metadata "+string(m.Key), m.Value)
			}
			if tm.Schema != nil {
				t.Row("schema", fmt.Sprintf("%d rule(s); -json prints it", len(tm.Schema.SynchronizationRules)))
			}
			return t.Flush()
		})(ctx, inv)
	}
}
