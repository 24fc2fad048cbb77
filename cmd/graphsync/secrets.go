package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"

	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
	"github.com/graphsync/graphsync/models"
)

// secretsCommand is graphsync secrets: the credentials a service
// principal's jobs reach the target application with. Values are read
// from a file or standard input, never from arguments (which other users
// of the machine can see), and never printed.
func secretsCommand() *cli.Command {
	const file = "-f FILE (- for standard input) holds a JSON array of {\"key\":…,\"value\":…} pairs (Graph's " +
		"synchronizationSecretKeyStringValuePair), or {\"value\":[…]} as Graph's secrets body; values are never printed, " +
		"and a secret given as an argument is refused."
	return &cli.Command{
		Name:    "secrets",
		Summary: "check and save the credentials of the target application",
		Help:    file,
		Secret:  true,
		Subcommands: []*cli.Command{
			{Name: "validate", Summary: "ask Graph whether the credentials in -f work, before saving them", Help: file, Secret: true, Flags: secretsValidate},
			{Name: "save", Summary: "save the credentials in -f for the service principal's jobs", Help: file, Secret: true, Flags: secretsSave},
		},
	}
}

func secretsValidate(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, cli.UsesJobFilter)
	file := fs.String("f", "", "the credentials as JSON (- for standard input)")
	saved := fs.Bool("saved", false, "check the credentials already saved instead of -f")
	template := fs.String("template", "", "check them for this template, before any job exists (instead of -job)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		req := models.ValidateCredentialsRequest{TemplateID: *template}
		if *saved {
			if *file != "" {
				return cli.Usagef("give -f or -saved, not both")
			}
			req.UseSavedCredentials = new(true)
		} else {
			kvs, err := readSecrets(inv, *file)
			if err != nil {
				return err
			}
			req.Credentials = kvs
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			var err error
			if env.Demo != nil && env.JobID == "" && *template == "" {
				env.JobID = env.Demo.JobID
			}
			switch {
			case *template != "":
				err = env.Client.ValidateTemplateCredentials(ctx, env.ServicePrincipalID, req)
			case env.JobID != "":
				err = env.Client.ValidateCredentials(ctx, env.ServicePrincipalID, env.JobID, req)
			default:
				return cli.Usagef("give the job (-job or GRAPHSYNC_JOB_ID), or -template to check before any job exists")
			}
			if err != nil {
				return err
			}
			inv.Err.Println("Graph accepted the credentials.")
			return nil
		})(ctx, inv)
	}
}

func secretsSave(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
	cfg.Shared(fs, 0)
	file := fs.String("f", "", "the credentials as JSON (- for standard input)")
	return func(ctx context.Context, inv *cli.Invocation) error {
		kvs, err := readSecrets(inv, *file)
		if err != nil {
			return err
		}
		return connected(func(ctx context.Context, inv *cli.Invocation, env *cli.Env) error {
			if err := env.Client.SaveSecrets(ctx, env.ServicePrincipalID, kvs); err != nil {
				return err
			}
			keys := make([]string, len(kvs))
			for i, kv := range kvs {
				keys[i] = string(kv.Key)
			}
			inv.Err.Printf("Saved %d credential(s) for service principal %s: %v.", len(kvs), env.ServicePrincipalID, keys)
			return nil
		})(ctx, inv)
	}
}

// readSecrets reads the credentials -f names. (A secret on the command
// line, a positional argument, is refused by cli.Execute, unechoed.)
func readSecrets(inv *cli.Invocation, name string) ([]models.SecretKeyValue, error) {
	if name != "" && name != "-" {
		st, err := os.Stat(name)
		if err != nil {
			// The path is not repeated: it may be a secret typed where
			// the file name goes.
			return nil, cli.Usagef("-f: cannot read the file it names (%v); nothing was sent", errors.Unwrap(err))
		}
		if st.Mode().Perm()&0o077 != 0 {
			inv.Err.Printf("warning: %s holds secrets and its group or others may read it (mode %s)", name, st.Mode().Perm())
		}
	}
	b, err := readInputFile(inv, name)
	if err != nil {
		return nil, err
	}
	var kvs []models.SecretKeyValue
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		var body struct {
			Value []models.SecretKeyValue `json:"value"`
		}
		err = dec.Decode(&body)
		kvs = body.Value
	} else {
		err = dec.Decode(&kvs)
	}
	if err != nil {
		// json's message can quote the text it stopped at: say less.
		return nil, cli.Usagef("%s: not a JSON array of {\"key\",\"value\"} pairs (or {\"value\":[…]})", name)
	}
	if len(kvs) == 0 {
		return nil, cli.Usagef("%s holds no credentials", name)
	}
	return kvs, nil
}
