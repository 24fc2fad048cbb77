package hrcsv

import (
	"strings"
	"testing"
)

// Two spellings of one SCIM attribute in a header are a repeated column,
// named both: otherwise the second silently wins.
func TestHeaderAliasesAreRepeatedColumns(t *testing.T) {
	const (
		core = "urn:ietf:params:scim:schemas:core:2.0:User:"
		ent  = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
	)
	for _, cols := range [][2]string{
		{"externalId", core + "externalId"},
		{"externalId", " EXTERNALID "},
		{"userName", core + "USERNAME"},
		{"name.givenName", core + "name.givenName"},
		{"emails[work].value", `emails[type eq "work"].value`},
		{`emails[type eq "work"].value`, `EMAILS[ type  eq "work" ].VALUE`},
		{"emails[work].value", core + `emails[type eq "work"].value`},
		{"addresses[work].locality", `addresses[type eq "work"].Locality`},
		{ent + "manager", ent + "manager.value"},
		{ent + "department", strings.ToUpper(ent) + "DEPARTMENT"},
		{"urn:contoso:hr:1.0:User:HireDate", "URN:CONTOSO:HR:1.0:USER:hiredate"},
	} {
		header, row := "externalId,"+cols[0]+","+cols[1], "A1,x,y"
		if cols[0] == "externalId" {
			header, row = cols[0]+","+cols[1], "A1,x"
		}
		_, err := Read("hr.csv", strings.NewReader(header+"\n"+row+"\n"))
		if err == nil || !strings.Contains(err.Error(), "repeats column") ||
			!strings.Contains(err.Error(), strings.TrimSpace(cols[0])) || !strings.Contains(err.Error(), strings.TrimSpace(cols[1])) {
			t.Errorf("%s: %v", header, err)
		}
	}
	// Different attributes, or values of different types, are not.
	for _, header := range []string{
		"externalId,emails[work].value,emails[home].value",
		"externalId,emails[work].value,emails[work].display",
		"externalId," + "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
		"externalId,urn:contoso:hr:1.0:User:HireDate,urn:contoso:hr:2.0:User:HireDate",
	} {
		if _, err := Read("hr.csv", strings.NewReader(header+"\nA1,x,y\n")); err != nil {
			t.Errorf("%s: %v", header, err)
		}
	}
}
