// Command mutsum prints the efficacy of a gremlins report per package and
// lists the mutants that lived, for scripts/mutation.
//
//	go run ./scripts/mutsum mutation/report.json
//
// Efficacy is killed / (killed + lived), gremlins' own figure: mutants
// that time out, do not compile or are not covered are left out of it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
)

type report struct {
	Files []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

type tally struct{ killed, lived, timedOut, notViable, notCovered, gone int }

func (t tally) efficacy() string {
	if t.killed+t.lived == 0 {
		return "-" // nothing ran
	}
	return fmt.Sprintf("%.2f%%", 100*float64(t.killed)/float64(t.killed+t.lived))
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mutsum report.json")
		os.Exit(2)
	}
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		fmt.Fprintln(os.Stderr, os.Args[1]+":", err)
		os.Exit(1)
	}
	pkgs := map[string]*tally{}
	var total tally
	var lived []string
	for _, f := range r.Files {
		pkg := path.Dir(f.Name)
		if pkg == "." {
			pkg = "graphsync (root)"
		}
		t := pkgs[pkg]
		if t == nil {
			t = &tally{}
			pkgs[pkg] = t
		}
		for _, m := range f.Mutations {
			for _, c := range []*tally{t, &total} {
				switch m.Status {
				case "KILLED":
					c.killed++
				case "LIVED":
					c.lived++
				case "TIMED OUT":
					c.timedOut++
				case "NOT VIABLE":
					c.notViable++
				case "NOT COVERED":
					c.notCovered++
				case "GONE": // scripts/mutcheck: the line was rewritten since
					c.gone++
				}
			}
			if m.Status == "LIVED" {
				lived = append(lived, fmt.Sprintf("%s:%d:%d %s", f.Name, m.Line, m.Column, m.Type))
			}
		}
	}
	names := make([]string, 0, len(pkgs))
	for n := range pkgs {
		names = append(names, n)
	}
	slices.Sort(names)
	fmt.Printf("%-18s %7s %6s %5s %9s %11s %5s %8s\n", "package", "killed", "lived", "timed", "not viab.", "not covered", "gone", "efficacy")
	for _, n := range append(names, "total") {
		t := total
		if n != "total" {
			t = *pkgs[n]
		}
		fmt.Printf("%-18s %7d %6d %5d %9d %11d %5d %8s\n", n, t.killed, t.lived, t.timedOut, t.notViable, t.notCovered, t.gone, t.efficacy())
	}
	slices.Sort(lived)
	fmt.Printf("\n%d lived:\n", len(lived))
	for _, l := range lived {
		fmt.Println("  " + l)
	}
}
