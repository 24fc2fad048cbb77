package graphsync

import (
	"testing"
	"unicode/utf8"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// kiotaExpand expands with Kiota's own RFC 6570 engine.
func kiotaExpand(t testing.TB, tmpl string, params map[string]string) string {
	p := map[string]string{"baseurl": "https://h"}
	for k, v := range params {
		p[k] = v
	}
	ri := abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(abs.GET, "{+baseurl}"+tmpl, p)
	u, err := ri.GetUri()
	if err != nil {
		t.Fatal(err)
	}
	return u.String()[len("https://h"):]
}

var nastyIDs = []string{"../x", "a/b?c#d", "%2e%2e", "..", ".", "", "a b+c", "ü&=;", "CN=AdeleV,CN=Users,DC=corp", "x%", "{sp}", "~._-", "\x00\x7f\xff", "日本", "azAZ09", "`@[/:"}

func TestExpandTemplateMatchesKiota(t *testing.T) {
	for _, tmpl := range []string{tmplJobs, tmplJob, tmplJobAction, tmplProvision, tmplSecrets, tmplTemplates, tmplTemplate, tmplJobSchema,
		"/{sp}{job}", "/no/variables"} { // and variables side by side
		for _, sp := range nastyIDs {
			for _, job := range nastyIDs {
				if !utf8.ValidString(sp) || !utf8.ValidString(job) {
					continue // refused by checkID before any expansion
				}
				params := map[string]string{"sp": sp, "job": job, "template": job, "action": "start"}
				want := kiotaExpand(t, tmpl, params)
				if got := expandTemplate(tmpl, params); got != want {
					t.Fatalf("%s with %q/%q: got %s, Kiota %s", tmpl, sp, job, got, want)
				}
			}
		}
	}
}

func FuzzExpandTemplateMatchesKiota(f *testing.F) {
	for _, id := range nastyIDs {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if !utf8.ValidString(id) {
			if checkID("id", id) == nil {
				t.Fatalf("invalid UTF-8 %q accepted", id)
			}
			return
		}
		params := map[string]string{"sp": id, "job": id}
		if got, want := expandTemplate(tmplJob, params), kiotaExpand(t, tmplJob, params); got != want {
			t.Fatalf("%q: got %s, Kiota %s", id, got, want)
		}
	})
}
