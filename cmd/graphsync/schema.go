package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/internal/printable"
	"github.com/graphsync/graphsync/models"
)

// schemaCommand is graphsync schema: a job's synchronization schema, read
// and written losslessly (everything Graph sends is kept, so a schema
// read and written back is unchanged).
func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:    "schema",
		Summary: "read and write a job's synchronization schema (lossless JSON)",
		Subcommands: []*cli.Command{
			{Name: "get", Summary: "print the job's schema as JSON (or write it to -o FILE)", Flags: schemaGet},
			{Name: "put", Summary: "replace the job's whole schema with -f FILE (asks for -yes)", Flags: schemaPut},
		},
	}
}

func schemaGet(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob)
	out := fs.String("o", "", "write the schema to this file instead of standard output")
	return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
		s, err := env.Client.GetJobSchema(ctx, env.ServicePrincipalID, env.JobID)
		if err != nil {
			return err
		}
		if *out == "" {
			return inv.Out.JSON(s)
		}
		b, err := schemaJSON(s)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, b, 0o600); err != nil {
			return err
		}
		inv.Err.Printf("Wrote the schema of job %s (%d rule(s)) to %s.", env.JobID, len(s.SynchronizationRules), *out)
		return nil
	})
}

// schemaJSON is s as an indented JSON file, with every non-graphic rune
// in its strings written as an escape (the values are the same).
func schemaJSON(s *models.SynchronizationSchema) ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return printable.JSON(append(b, '\n')), nil
}

func schemaPut(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJob)
	file := fs.String("f", "", "the schema as JSON (- for standard input), as graphsync schema get writes it")
	yes := fs.Bool("yes", false, "replace without asking: Graph replaces the whole schema with the file's")
	return func(ctx context.Context, inv *cli.Invocation) error {
		s, err := readSchemaFile(inv, *file)
		if err != nil {
			return err
		}
		if !*yes {
			return cli.Usagef("schema put replaces the job's whole schema; give -yes to replace it")
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			if err := env.Client.UpdateJobSchema(ctx, env.ServicePrincipalID, env.JobID, *s); err != nil {
				return err
			}
			inv.Err.Printf("Replaced the schema of job %s (%d rule(s)).", env.JobID, len(s.SynchronizationRules))
			return nil
		})(ctx, inv)
	}
}

// readSchemaFile reads a schema from name (- for standard input): a
// *UsageError when there is none or it is not a schema.
func readSchemaFile(inv *cli.Invocation, name string) (*models.SynchronizationSchema, error) {
	b, err := readInputFile(inv, name)
	if err != nil {
		return nil, err
	}
	var s models.SynchronizationSchema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, cli.Usagef("%s: not a synchronization schema: %v", name, err)
	}
	return &s, nil
}

// readInputFile reads the file -f names, - for standard input.
func readInputFile(inv *cli.Invocation, name string) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	switch name {
	case "":
		return nil, cli.Usagef("-f is required (- for standard input)")
	case "-":
		b, err = io.ReadAll(io.LimitReader(inv.Stdin, maxInputFile+1))
	default:
		b, err = readFileLimited(name)
	}
	if err != nil {
		return nil, cli.Usagef("%v", err)
	}
	if len(b) > maxInputFile {
		return nil, cli.Usagef("%s: larger than %d MiB", name, maxInputFile>>20)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, cli.Usagef("%s is empty", name)
	}
	return b, nil
}

// maxInputFile bounds a file a command reads whole.
const maxInputFile = 64 << 20

func readFileLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxInputFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}
