// Command mutcheck runs again the mutants a gremlins report says lived,
// against the code as it is now, and writes the report back with their new
// status. It applies each mutation as gremlins v0.6.0 does (the same token
// swap at the same line and column) and runs the same command, go test
// -failfast on the mutant's package, so that the tests added for the
// survivors of a long run can be checked in minutes instead of repeating
// the whole run. Lines must not have moved since the report was made: a
// mutant whose token is no longer at its place (the line was rewritten)
// is reported GONE and counts neither way.
//
//	go run ./scripts/mutcheck mutation/report.json mutation/recheck.json
//
// Run it from the module root of a clean checkout (it edits the files and
// puts them back); scripts/mutation sets the environment it expects.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// swaps is gremlins' table for the mutators scripts/mutation enables: its
// defaults, then the stronger ones. INVERT_ASSIGNMENTS leaves %= as it is,
// as gremlins v0.6.0 does.
var swaps = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":       {token.ADD: token.SUB, token.SUB: token.ADD, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL},
	"CONDITIONALS_BOUNDARY": {token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ},
	"CONDITIONALS_NEGATION": {token.EQL: token.NEQ, token.NEQ: token.EQL, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR, token.LSS: token.GEQ},
	"INCREMENT_DECREMENT":   {token.INC: token.DEC, token.DEC: token.INC},
	"INVERT_NEGATIVES":      {token.SUB: token.ADD},

	"INVERT_ASSIGNMENTS": {token.ADD_ASSIGN: token.SUB_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN, token.MUL_ASSIGN: token.QUO_ASSIGN, token.QUO_ASSIGN: token.MUL_ASSIGN, token.REM_ASSIGN: token.REM_ASSIGN},
	"INVERT_LOGICAL":     {token.LAND: token.LOR, token.LOR: token.LAND},
	"INVERT_LOOPCTRL":    {token.BREAK: token.CONTINUE, token.CONTINUE: token.BREAK},
	"REMOVE_SELF_ASSIGNMENTS": {
		token.ADD_ASSIGN: token.ASSIGN, token.SUB_ASSIGN: token.ASSIGN, token.MUL_ASSIGN: token.ASSIGN,
		token.QUO_ASSIGN: token.ASSIGN, token.REM_ASSIGN: token.ASSIGN, token.AND_ASSIGN: token.ASSIGN,
		token.OR_ASSIGN: token.ASSIGN, token.XOR_ASSIGN: token.ASSIGN, token.AND_NOT_ASSIGN: token.ASSIGN,
		token.SHL_ASSIGN: token.ASSIGN, token.SHR_ASSIGN: token.ASSIGN,
	},
}

type mutation struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mutcheck report.json out.json")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "mutcheck:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var report map[string]json.RawMessage
	if err := json.Unmarshal(b, &report); err != nil {
		return err
	}
	var files []struct {
		Name      string     `json:"file_name"`
		Mutations []mutation `json:"mutations"`
	}
	if err := json.Unmarshal(report["files"], &files); err != nil {
		return err
	}
	for fi := range files {
		f := &files[fi]
		for mi := range f.Mutations {
			m := &f.Mutations[mi]
			if m.Status != "LIVED" {
				continue
			}
			status, err := recheck(f.Name, *m)
			if err != nil {
				return fmt.Errorf("%s:%d:%d %s: %w", f.Name, m.Line, m.Column, m.Type, err)
			}
			fmt.Printf("%12s %s at %s:%d:%d\n", status, m.Type, f.Name, m.Line, m.Column)
			m.Status = status
		}
	}
	if report["files"], err = json.Marshal(files); err != nil {
		return err
	}
	b, err = json.MarshalIndent(report, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

// recheck applies m to file, runs its package's tests and puts the file
// back.
func recheck(file string, m mutation) (string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	mutated, err := apply(src, m)
	if errors.Is(err, errGone) {
		return "GONE", nil
	}
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(file, mutated, 0o644); err != nil {
		return "", err
	}
	defer os.WriteFile(file, src, 0o644)
	pkg := "./" + filepath.Dir(file)
	// go test exits 1 for a package that does not build as for a test that
	// fails: build it first, so that a mutant that does not compile (a
	// continue outside a loop) is not viable, as gremlins counts it, rather
	// than killed.
	var exit *exec.ExitError
	if err := exec.Command("go", "build", pkg).Run(); errors.As(err, &exit) {
		return "NOT VIABLE", nil
	} else if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err = exec.CommandContext(ctx, "go", "test", "-timeout", "4m", "-failfast", pkg).Run()
	switch {
	case ctx.Err() != nil:
		return "TIMED OUT", nil
	case err == nil:
		return "LIVED", nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return "KILLED", nil
	}
	return "", err
}

var errGone = errors.New("no token the mutator changes at that place")

// apply swaps the token at m's line and column as m's mutator does.
func apply(src []byte, m mutation) ([]byte, error) {
	table, ok := swaps[m.Type]
	if !ok {
		return nil, fmt.Errorf("unknown mutator %s", m.Type)
	}
	fset := token.NewFileSet()
	f := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(f, src, nil, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return nil, errGone
		}
		p := fset.Position(pos)
		if p.Line != m.Line || p.Column != m.Column {
			continue
		}
		to, ok := table[tok]
		if !ok {
			return nil, fmt.Errorf("%w (%s %q)", errGone, tok, lit)
		}
		off := p.Offset
		return bytes.Join([][]byte{src[:off], []byte(to.String()), src[off+len(tok.String()):]}, nil), nil
	}
}
