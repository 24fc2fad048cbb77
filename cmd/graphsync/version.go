package main

import (
	"context"
	"flag"
	"runtime"
	"runtime/debug"

	"github.com/graphsync/graphsync"
	"github.com/graphsync/graphsync/cmd/graphsync/internal/cli"
)

// versionCommand is graphsync version.
func versionCommand() *cli.Command {
	return &cli.Command{
		Name:    "version",
		Summary: "print the command's and the library's versions",
		Flags: func(fs *flag.FlagSet, cfg *cli.Config) cli.Run {
			return func(ctx context.Context, inv *cli.Invocation) error {
				module := "(devel)"
				if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
					module = bi.Main.Version
				}
				inv.Out.Printf("graphsync %s (module %s), library %s, %s %s/%s",
					cli.Version, module, graphsync.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return nil
			}
		},
	}
}
