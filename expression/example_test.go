package expression_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/graphsync/graphsync/expression"
	"github.com/graphsync/graphsync/models"
)

func ExampleParse() {
	n, err := expression.Parse(`Replace([preferredLanguage], "-", , , "_", ,  )`)
	if err != nil {
		panic(err)
	}
	fmt.Println(n.Kind, n.Name, len(n.Args), "arguments")
	fmt.Println(n) // canonical, as Graph writes it

	_, err = expression.Parse(`Append([mail] ".test")`)
	var se *expression.SyntaxError
	if errors.As(err, &se) {
		fmt.Printf("offset %d, column %d: %s\n", se.Offset, se.Column, se.Msg)
	}
	// Output:
	// Call Replace 7 arguments
	// Replace([preferredLanguage], "-", , , "_", , )
	// offset 14, column 15: expected "," or ")" after an argument of "Append", found "\".test\")"
}

func ExampleCheck() {
	n, _ := expression.Parse(`Append(toLower([givenName]), Mid([surname], 1))`)
	for _, p := range expression.Check(n) {
		fmt.Println(p.Pos, p.Msg)
	}
	// Output:
	// 7 unknown function "toLower" (names are case-sensitive: ToLower)
	// 29 Mid: takes 3 arguments, not 2
}

func ExampleEvaluate() {
	input := expression.Object{
		"givenName":      expression.Single("John"),
		"surname":        expression.Single("Doe"),
		"proxyAddresses": expression.Multi("SMTP:john@contoso.com", "smtp:jd@contoso.com"),
	}
	opts := &expression.EvalOptions{
		Now: func() time.Time { return time.Date(2021, 7, 2, 15, 33, 38, 0, time.UTC) },
	}
	for _, expr := range []string{
		`Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`,
		`Item([proxyAddresses], 1)`,
		`Split("PermissionSetOne, PermissionSetTwo", ",")`,
		`DateAdd("d", 7, Now())`,
		`Coalesce([mail], [department])`,
		`IgnoreFlowIfNullOrEmpty([department])`,
	} {
		n, err := expression.Parse(expr)
		if err != nil {
			panic(err)
		}
		v, err := expression.Evaluate(n, input, opts)
		if err != nil {
			panic(err)
		}
		fmt.Println(v)
	}
	// Output:
	// "JohDoe"
	// "SMTP:john@contoso.com"
	// ["PermissionSetOne", "PermissionSetTwo"]
	// "7/9/2021 3:33:38 PM"
	// null
	// ignored
}

func ExampleToSource() {
	n, _ := expression.Parse("Mid([userPrincipalName], 1, 8)")
	b, _ := json.Marshal(expression.ToSource(n))
	fmt.Println(string(b))
	// Output:
	// {"expression":"Mid([userPrincipalName], 1, 8)","name":"Mid","parameters":[{"key":"source","value":{"expression":"[userPrincipalName]","name":"userPrincipalName","parameters":[],"type":"Attribute"}},{"key":"start","value":{"expression":"\"1\"","name":"1","parameters":[],"type":"Constant"}},{"key":"length","value":{"expression":"\"8\"","name":"8","parameters":[],"type":"Constant"}}],"type":"Function"}
}

func ExampleCheckSchema() {
	var s models.SynchronizationSchema
	err := json.Unmarshal([]byte(`{
		"directories": [
			{"name": "Azure Active Directory", "objects": [{"name": "User", "attributes": [
				{"name": "userPrincipalName"}, {"name": "mail"}]}]},
			{"name": "customappsso", "objects": [{"name": "User", "attributes": [
				{"name": "userName", "required": true}, {"name": "emails[type eq \"work\"].value"}]}]}
		],
		"synchronizationRules": [{
			"id": "USER_OUTBOUND_USER", "sourceDirectoryName": "Azure Active Directory",
			"targetDirectoryName": "customappsso",
			"objectMappings": [{"sourceObjectName": "User", "targetObjectName": "User", "attributeMappings": [
				{"targetAttributeName": "emails[type eq \"work\"].value",
				 "source": {"expression": "ToLower([Mail])", "type": "Function"}}
			]}]
		}]
	}`), &s)
	if err != nil {
		panic(err)
	}
	for _, f := range expression.CheckSchema(s) {
		fmt.Println(f)
	}
	// Output:
	// unknownAttribute: rule "USER_OUTBOUND_USER" "User"→"User" attribute "emails[type eq \"work\"].value" at 1:9: the attribute "Mail" is not in source object "User" (names are case-sensitive: "mail")
	// treeMismatch: rule "USER_OUTBOUND_USER" "User"→"User" attribute "emails[type eq \"work\"].value": the expression text has no source tree (name and parameters): the tree must say the same as the text (rebuild it from the text)
	// requiredUnmapped: rule "USER_OUTBOUND_USER" "User"→"User" attribute "userName": the required target attribute "userName" is not mapped
}
