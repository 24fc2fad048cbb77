package expression

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A pageCase is one example of the reference page: an expression, its
// sample input and the output the page gives. quote is the page's text
// that gives the output, verbatim (the test checks it is on the page as
// saved); where the page gives no output in so many words, the case says
// how its expected value follows from the page.
type pageCase struct {
	section string // the page's section the example is in
	quote   string // the page's words for the output
	expr    string
	built   bool // expr is the section's expression with a table row's values, not verbatim
	in      Object
	now     time.Time
	taken   []string // values SelectUniqueValue finds taken in the target
	want    Value
	err     string // the error expected instead, a part of its message
}

func utc(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, time.UTC)
}

var pageCases = []pageCase{
	{section: "Append", quote: `* **OUTPUT**:  "John.Doe@contoso.com.test"`,
		expr: `Append([userPrincipalName], ".test")`,
		in:   Object{"userPrincipalName": Single("John.Doe@contoso.com")}, want: Single("John.Doe@contoso.com.test")},

	// Offline, the assignments are the input's strings, as in
	// parseExpression's testInputObject ("Default Assignment").
	{section: "AppRoleAssignmentsComplex", quote: "AppRoleAssignmentsComplex([appRoleAssignments])",
		expr: `AppRoleAssignmentsComplex([appRoleAssignments])`,
		in:   Object{"appRoleAssignments": Multi("Default Assignment")}, want: Multi("Default Assignment")},

	{section: "BitAnd", quote: "so `BitAnd` returns 7", expr: `BitAnd(&HF, &HF7)`, want: Single("7")},

	{section: "CBool", quote: "Returns True if both attributes have the same value.",
		expr: `CBool([attribute1] = [attribute2])`,
		in:   Object{"attribute1": Single("x"), "attribute2": Single("x")}, want: Single("True")},
	{section: "CBool", quote: "Returns True if both attributes have the same value.",
		expr: `CBool([attribute1] = [attribute2])`,
		in:   Object{"attribute1": Single("x"), "attribute2": Single("y")}, want: Single("False")},

	{section: "CDate", quote: `* **OUTPUT**:  "3/16/2020 7:00:00 AM"`, expr: `CDate([StatusHireDate])`,
		in: Object{"StatusHireDate": Single("2020-03-16-07:00")}, want: Single("3/16/2020 7:00:00 AM")},
	{section: "CDate", quote: `* **OUTPUT**:  "6/29/2021 4:00:00 PM"`, expr: `CDate("2021-06-30+08:00")`,
		want: Single("6/29/2021 4:00:00 PM")},
	{section: "CDate", quote: `* **OUTPUT**:  "6/15/2009 8:45:30 AM"`, expr: `CDate("2009-06-15T01:45:30-07:00")`,
		want: Single("6/15/2009 8:45:30 AM")},

	{section: "Coalesce", quote: `* **INPUT** (mail): NULL`, expr: `Coalesce([mail],[userPrincipalName])`,
		in: Object{"userPrincipalName": Single("John.Doe@contoso.com")}, want: Single("John.Doe@contoso.com")},

	{section: "ConvertToBase64", quote: `Returns "SABlAGwAbABvACAAdwBvAHIAbABkACEA"`,
		expr: `ConvertToBase64("Hello world!")`, want: Single("SABlAGwAbABvACAAdwBvAHIAbABkACEA")},
	{section: "ConvertToUTF8Hex", quote: `Returns 48656C6C6F20776F726C6421`,
		expr: `ConvertToUTF8Hex("Hello world!")`, want: Single("48656C6C6F20776F726C6421")},

	{section: "CStr", quote: `Returns "cn=Joe,dc=contoso,dc=com"`, expr: `CStr([dn])`,
		in: Object{"dn": Single("cn=Joe,dc=contoso,dc=com")}, want: Single("cn=Joe,dc=contoso,dc=com")},

	// DateAdd's table: one row each, StatusHireDate 2012-03-16-07:00.
	{section: "DateAdd", quote: `| Add 7 days to hire date | "d" | 7 | 2012-03-16-07:00 | 3/23/2012 7:00:00 AM |`,
		expr: `DateAdd("d", 7, CDate([StatusHireDate]))`,
		in:   Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("3/23/2012 7:00:00 AM")},
	{section: "DateAdd", quote: `| Get a date ten days before to hire date | "d" | -10 | 2012-03-16-07:00 | 3/6/2012 7:00:00 AM |`,
		expr: `DateAdd("d", -10, CDate([StatusHireDate]))`, built: true,
		in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("3/6/2012 7:00:00 AM")},
	{section: "DateAdd", quote: `| Add two weeks to hire date | "ww" | 2 | 2012-03-16-07:00 | 3/30/2012 7:00:00 AM |`,
		expr: `DateAdd("ww", 2, CDate([StatusHireDate]))`, built: true,
		in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("3/30/2012 7:00:00 AM")},
	{section: "DateAdd", quote: `| Add ten months to hire date | "m" | 10 | 2012-03-16-07:00 | 1/16/2013 7:00:00 AM |`,
		expr: `DateAdd("m", 10, CDate([StatusHireDate]))`, built: true,
		in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("1/16/2013 7:00:00 AM")},
	{section: "DateAdd", quote: `| Add two years to hire date | "yyyy" | 2 | 2012-03-16-07:00 | 3/16/2014 7:00:00 AM |`,
		expr: `DateAdd("yyyy", 2, CDate([StatusHireDate]))`, built: true,
		in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("3/16/2014 7:00:00 AM")},

	// DateDiff's table: date1 is Now(), so the clock is set to it (in
	// UTC); date2 is StatusHireDate.
	{section: "DateDiff", quote: `| Positive difference in days between two dates | d | 2021-08-18+08:00 | 2021-08-31+08:00 | 13 |`,
		expr: `DateDiff("d", Now(), CDate([StatusHireDate]))`,
		now:  utc(2021, 8, 17, 16, 0, 0), in: Object{"StatusHireDate": Single("2021-08-31+08:00")}, want: Single("13")},
	{section: "DateDiff", quote: `| Negative difference in days between two dates | d | 8/25/2021 5:41:18 PM | 2012-03-16-07:00 | -3449 |`,
		expr: `DateDiff("d", Now(), CDate([StatusHireDate]))`,
		now:  utc(2021, 8, 25, 17, 41, 18), in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("-3449")},
	{section: "DateDiff", quote: `| Difference in weeks between two dates | ww | 8/25/2021 5:41:18 PM | 2012-03-16-07:00 | -493 |`,
		expr: `DateDiff("ww", Now(), CDate([StatusHireDate]))`, built: true,
		now: utc(2021, 8, 25, 17, 41, 18), in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("-493")},
	{section: "DateDiff", quote: `| Difference in months between two dates | m | 8/25/2021 5:41:18 PM | 2012-03-16-07:00 | -113 |`,
		expr: `DateDiff("m", Now(), CDate([StatusHireDate]))`, built: true,
		now: utc(2021, 8, 25, 17, 41, 18), in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("-113")},
	{section: "DateDiff", quote: `| Difference in years between two dates | yyyy | 8/25/2021 5:41:18 PM | 2012-03-16-07:00 | -9 |`,
		expr: `DateDiff("yyyy", Now(), CDate([StatusHireDate]))`, built: true,
		now: utc(2021, 8, 25, 17, 41, 18), in: Object{"StatusHireDate": Single("2012-03-16-07:00")}, want: Single("-9")},
	{section: "DateDiff", quote: `| Difference when both dates are same | d | 2021-08-31+08:00 | 2021-08-31+08:00 | 0 |`,
		expr: `DateDiff("d", Now(), CDate([StatusHireDate]))`,
		now:  utc(2021, 8, 30, 16, 0, 0), in: Object{"StatusHireDate": Single("2021-08-31+08:00")}, want: Single("0")},
	{section: "DateDiff", quote: `| Difference in hours between two dates | h | 2021-08-24 | 2021-08-25 | 24 |`,
		expr: `DateDiff("h", Now(), CDate([StatusHireDate]))`, built: true,
		now: utc(2021, 8, 24, 0, 0, 0), in: Object{"StatusHireDate": Single("2021-08-25")}, want: Single("24")},
	{section: "DateDiff", quote: `| Difference in minutes between two dates | n | 2021-08-24 | 2021-08-25 | 1440 |`,
		expr: `DateDiff("n", Now(), CDate([StatusHireDate]))`, built: true,
		now: utc(2021, 8, 24, 0, 0, 0), in: Object{"StatusHireDate": Single("2021-08-25")}, want: Single("1440")},
	{section: "DateDiff", quote: `| Difference in seconds between two dates | s | 2021-08-24 | 2021-08-25 | 86400 |`,
		expr: `DateDiff("s", Now(), CDate([StatusHireDate]))`, built: true,
		now: utc(2021, 8, 24, 0, 0, 0), in: Object{"StatusHireDate": Single("2021-08-25")}, want: Single("86400")},

	// DateDiff's example 2: "set the accountEnabled attribute of the user
	// to True only if hire date is within the next five days" when Active
	// is 1; "0" gives "False".
	{section: "DateDiff", quote: "set the *accountEnabled* attribute of the user to True only if hire date is within the next five days",
		expr: pageExpr("Switch([Active]"), now: utc(2021, 8, 25, 0, 0, 0),
		in: Object{"Active": Single("1"), "StatusHireDate": Single("2021-08-28")}, want: Single("True")},
	{section: "DateDiff", quote: "set the *accountEnabled* attribute of the user to True only if hire date is within the next five days",
		expr: pageExpr("Switch([Active]"), now: utc(2021, 8, 25, 0, 0, 0),
		in: Object{"Active": Single("1"), "StatusHireDate": Single("2021-09-10")}, want: Single("False")},
	{section: "DateDiff", quote: `  "0", "False")`,
		expr: pageExpr("Switch([Active]"), now: utc(2021, 8, 25, 0, 0, 0),
		in: Object{"Active": Single("0"), "StatusHireDate": Single("2021-08-28")}, want: Single("False")},

	// In the page's M/d/yyyy h:mm:ss tt.
	{section: "DateFromNum", quote: "Returns a DateTime representing January 1, 2012 at 11:00PM.",
		expr: `DateFromNum(129699324000000000)`, want: Single("1/1/2012 11:00:00 PM")},

	{section: "FormatDateTime", quote: `* **OUTPUT**:  "2015-01-23"`,
		expr: `FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`,
		in:   Object{"extensionAttribute1": Single("20150123105347.1Z")}, want: Single("2015-01-23")},

	{section: "IgnoreFlowIfNullOrEmpty", quote: "drops the department attribute from the provisioning flow if it's null or empty",
		expr: `IgnoreFlowIfNullOrEmpty([department])`, want: ignored()},
	{section: "IgnoreFlowIfNullOrEmpty", quote: "drops the department attribute from the provisioning flow if it's null or empty",
		expr: `IgnoreFlowIfNullOrEmpty([department])`, in: Object{"department": Single("")}, want: ignored()},
	{section: "IgnoreFlowIfNullOrEmpty", quote: "drops the department attribute from the provisioning flow if it's null or empty",
		expr: `IgnoreFlowIfNullOrEmpty([department])`, in: Object{"department": Single("Sales")}, want: Single("Sales")},
	{section: "IgnoreFlowIfNullOrEmpty", quote: "the attribute *personalTitle* is not included in the provisioning flow",
		expr: pageExpr("IgnoreFlowIfNullOrEmpty(Switch"), in: Object{"prefix": Single("9999")}, want: ignored()},
	{section: "IgnoreFlowIfNullOrEmpty", quote: `"3444", "Prof."`,
		expr: pageExpr("IgnoreFlowIfNullOrEmpty(Switch"), in: Object{"prefix": Single("3444")}, want: Single("Prof.")},

	{section: "IIF", quote: `Set the target attribute value to source country attribute if country="USA", else set target attribute value to source department attribute`,
		expr: `IIF([country]="USA",[country],[department])`,
		in:   Object{"country": Single("USA"), "department": Single("Sales")}, want: Single("USA")},
	{section: "IIF", quote: `Set the target attribute value to source country attribute if country="USA", else set target attribute value to source department attribute`,
		expr: `IIF([country]="USA",[country],[department])`,
		in:   Object{"country": Single("Canada"), "department": Single("Sales")}, want: Single("Sales")},
	{section: "IIF", quote: `If country="USA" and state="CA", return value "True", else return "False".`,
		expr: `IIF([country]="USA",IIF([state]="CA","True","False"),"False")`,
		in:   Object{"country": Single("USA"), "state": Single("CA")}, want: Single("True")},
	{section: "IIF", quote: `If country="USA" and state="CA", return value "True", else return "False".`,
		expr: `IIF([country]="USA",IIF([state]="CA","True","False"),"False")`,
		in:   Object{"country": Single("USA"), "state": Single("WA")}, want: Single("False")},
	{section: "IIF", quote: `If country="USA" and state="CA", return value "True", else return "False".`,
		expr: `IIF([country]="USA",IIF([state]="CA","True","False"),"False")`,
		in:   Object{"country": Single("Canada"), "state": Single("CA")}, want: Single("False")},
	{section: "IIF", quote: `If country="USA" or state="CA", return value "True", else return "False".`,
		expr: `IIF([country]="USA","True",IIF([state]="CA","True","False"))`,
		in:   Object{"country": Single("Canada"), "state": Single("CA")}, want: Single("True")},
	{section: "IIF", quote: `If country="USA" or state="CA", return value "True", else return "False".`,
		expr: `IIF([country]="USA","True",IIF([state]="CA","True","False"))`,
		in:   Object{"country": Single("Canada"), "state": Single("WA")}, want: Single("False")},
	{section: "IIF", quote: "If the source attribute used within the IIF function is empty or null, the condition check fails.",
		expr: `IIF([country]="","Other",[country])`, in: Object{"country": Single("")}, err: `reads "[country]", which is null or empty`},
	{section: "IIF", quote: "If the source attribute used within the IIF function is empty or null, the condition check fails.",
		expr: `IIF(IsNullOrEmpty([country]),"Other",[country])`, err: `reads "[country]", which is null or empty`},
	{section: "IIF", quote: "If the source attribute used within the IIF function is empty or null, the condition check fails.",
		expr: `IIF(IsPresent([country]),[country],"Other")`, err: `reads "[country]", which is null or empty`},
	{section: "IIF", quote: `If country attribute is empty, set value "Other". If it's present, pass the country attribute value to target attribute.`,
		expr: `Switch([country],[country],"","Other")`, in: Object{"country": Single("")}, want: Single("Other")},
	{section: "IIF", quote: `If country attribute is empty, set value "Other". If it's present, pass the country attribute value to target attribute.`,
		expr: `Switch([country],[country],"","Other")`, want: Single("Other")},
	{section: "IIF", quote: `If country attribute is empty, set value "Other". If it's present, pass the country attribute value to target attribute.`,
		expr: `Switch([country],[country],"","Other")`, in: Object{"country": Single("USA")}, want: Single("USA")},

	{section: "InStr", quote: "Evaluates to 5", expr: `InStr("The quick brown fox","quick")`, want: Single("5")},
	{section: "InStr", quote: "Evaluates to 7", expr: `InStr("repEated","e",3,vbBinaryCompare)`, want: Single("7")},

	{section: "IsNull", quote: "Returns True if the attribute isn't present.", expr: `IsNull([displayName])`, want: Single("True")},
	{section: "IsNull", quote: "Returns True if the attribute isn't present.", expr: `IsNull([displayName])`,
		in: Object{"displayName": Single("")}, want: Single("False")},
	{section: "IsNullorEmpty", quote: "Returns True if the attribute isn't present or is an empty string.",
		expr: `IsNullOrEmpty([displayName])`, want: Single("True")},
	{section: "IsNullorEmpty", quote: "Returns True if the attribute isn't present or is an empty string.",
		expr: `IsNullOrEmpty([displayName])`, in: Object{"displayName": Single("")}, want: Single("True")},
	{section: "IsNullorEmpty", quote: "Returns True if the attribute isn't present or is an empty string.",
		expr: `IsNullOrEmpty([displayName])`, in: Object{"displayName": Single("John")}, want: Single("False")},

	{section: "Item", quote: "returns the first item in the multi-valued attribute",
		expr: `Item([proxyAddresses], 1)`, in: Object{"proxyAddresses": Multi("SMTP:a@contoso.com", "smtp:b@contoso.com")},
		want: Single("SMTP:a@contoso.com")},

	{section: "Left", quote: `Returns "Joh".`, expr: `Left("John Doe", 3)`, want: Single("Joh")},
	{section: "Left", quote: "If numChars = 0, return empty string.", expr: `Left("John Doe", 0)`, built: true, want: Single("")},
	{section: "Left", quote: "If numChars < 0, return input string.", expr: `Left("John Doe", -1)`, built: true, want: Single("John Doe")},
	{section: "Left", quote: "If string is null, return empty string.", expr: `Left([missing], 3)`, built: true, want: Single("")},
	{section: "Left", quote: "a string identical to string (that is, containing all characters in parameter 1) is returned",
		expr: `Left("Jo", 3)`, built: true, want: Single("Jo")},

	{section: "NormalizeDiacritics", quote: `* **OUTPUT**:  "Zoe"`, expr: `NormalizeDiacritics([givenName])`,
		in: Object{"givenName": Single("Zoë")}, want: Single("Zoe")},

	{section: "Not", quote: "If **source** value is True, returns False. Otherwise, returns True.",
		expr: `Not([IsSoftDeleted])`, built: true, in: Object{"IsSoftDeleted": Single("True")}, want: Single("False")},
	{section: "Not", quote: "If **source** value is True, returns False. Otherwise, returns True.",
		expr: `Not([IsSoftDeleted])`, built: true, in: Object{"IsSoftDeleted": Single("False")}, want: Single("True")},

	{section: "Now", quote: "Example value returned *7/2/2021 3:33:38 PM*", expr: `Now()`,
		now: utc(2021, 7, 2, 15, 33, 38), want: Single("7/2/2021 3:33:38 PM")},

	// NumFromDate's examples give no number: the value is derived from
	// DateFromNum's documented pair (129699324000000000 is 1 January 2012,
	// 11:00 PM) and the time between, 2020-12-31 23:59:59-08:00 being
	// 2021-01-01 07:59:59 UTC.
	{section: "NumFromDate", quote: `NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))`,
		expr: pageExpr(`NumFromDate(Join("", Format`), in: Object{"ContractEndDate": Single("2020-12-31-08:00")},
		want: Single(ticksAfter2012(utc(2021, 1, 1, 7, 59, 59)))},
	{section: "NumFromDate", quote: `NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))`,
		expr: pageExpr(`NumFromDate(Join("",Format`), in: Object{"endDate": Single("12/31/2020 12:00:00 AM")},
		want: Single(ticksAfter2012(utc(2021, 1, 1, 7, 59, 59)))},
	{section: "DateFromNum", quote: "Returns a DateTime representing January 1, 2012 at 11:00PM.",
		expr: `NumFromDate("2012-01-01T23:00:00Z")`, built: true, want: Single("129699324000000000")},

	{section: "PCase", quote: `| "Pablo Gonsalves (Second)" |`, expr: `PCase([firstName])`,
		in: Object{"firstName": Single("PABLO GONSALVES (SECOND)")}, want: Single("Pablo Gonsalves (Second)")},
	{section: "PCase", quote: `| "Pinto-De'Silva" |`, expr: `PCase([lastName]," '-")`,
		in: Object{"lastName": Single("PINTO-DE'SILVA")}, want: Single("Pinto-De'Silva")},
	{section: "PCase", quote: `| "Gregory James" |`, expr: `PCase(Join(" ",[firstName],[lastName]))`,
		in: Object{"firstName": Single("GREGORY"), "lastName": Single("JAMES")}, want: Single("Gregory James")},

	// Redact only hides the value in Graph's logs; the value flows.
	{section: "Redact", quote: "Removes the userPrincipalName from the provisioning logs.", expr: `Redact([userPrincipalName])`,
		in: Object{"userPrincipalName": Single("john@contoso.com")}, want: Single("john@contoso.com")},
	{section: "Redact", quote: "Removes a constant string from the provisioning logs.", expr: `Redact("StringToBeRedacted")`,
		want: Single("StringToBeRedacted")},

	{section: "RemoveDuplicates", quote: "Returns a sanitized proxyAddress attribute where all duplicate values are removed.",
		expr: `RemoveDuplicates([proxyAddresses])`, in: Object{"proxyAddresses": Multi("smtp:a", "smtp:b", "smtp:a")},
		want: Multi("smtp:a", "smtp:b")},

	{section: "Replace", quote: "* **Expression output**: Software Engineer",
		expr: `Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )`,
		in:   Object{"BusinessTitle": Single("Product Developer")}, want: Single("Software Engineer")},
	{section: "Replace", quote: `* **Expression output:** "jsmith@contoso.com"`,
		expr: `Replace([UserID],"<username>", , , , , "<username>@contoso.com")`,
		in:   Object{"UserID": Single("jsmith")}, want: Single("jsmith@contoso.com")},
	{section: "Replace", quote: "* **Expression output:** 9998887777",
		expr: `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )`,
		in:   Object{"telephoneNumber": Single("+91 9998887777")}, want: Single("9998887777")},
	{section: "Replace", quote: "* **Expression output:** 888 Tremont Street",
		expr: `Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )`,
		in:   Object{"AddressLineData": Single("545 Tremont Street")}, want: Single("888 Tremont Street")},
	{section: "Replace", quote: "* **Expression output:** jsmith",
		expr: `Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )`,
		in:   Object{"userPrincipalName": Single("jsmith@contoso.com")}, want: Single("jsmith")},
	{section: "Replace", quote: "* **Expression output:** 8887779999",
		expr: `Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )`,
		in:   Object{"telephoneNumber": Single(""), "mobile": Single("+91 8887779999")}, want: Single("8887779999")},
	{section: "Replace", quote: "* **Expression output**: 72",
		expr: `Replace([mailNickname], , "[a-zA-Z_]*", , "", , )`,
		in:   Object{"mailNickname": Single("john_doe72")}, want: Single("72")},

	{section: "SelectUniqueValue", quote: `* **OUTPUT**: "John.Smith@contoso.com" if UPN value of John.Smith@contoso.com doesn't already exist in the directory`,
		expr: pageExpr("SelectUniqueValue("), in: Object{"PreferredFirstName": Single("John"), "PreferredLastName": Single("Smith")},
		want: Single("John.Smith@contoso.com")},
	{section: "SelectUniqueValue", quote: `* **OUTPUT**: "J.Smith@contoso.com" if UPN value of John.Smith@contoso.com already exists in the directory`,
		expr: pageExpr("SelectUniqueValue("), in: Object{"PreferredFirstName": Single("John"), "PreferredLastName": Single("Smith")},
		taken: []string{"John.Smith@contoso.com"}, want: Single("J.Smith@contoso.com")},
	{section: "SelectUniqueValue", quote: `* **OUTPUT**: "Jo.Smith@contoso.com" if the above two UPN values already exist in the directory`,
		expr: pageExpr("SelectUniqueValue("), in: Object{"PreferredFirstName": Single("John"), "PreferredLastName": Single("Smith")},
		taken: []string{"John.Smith@contoso.com", "J.Smith@contoso.com"}, want: Single("Jo.Smith@contoso.com")},
	{section: "SelectUniqueValue", quote: "If all of the values already exist in the target, the entry is escrowed",
		expr: pageExpr("SelectUniqueValue("), in: Object{"PreferredFirstName": Single("John"), "PreferredLastName": Single("Smith")},
		taken: []string{"John.Smith@contoso.com", "J.Smith@contoso.com", "Jo.Smith@contoso.com"}, err: "the entry is escrowed"},

	// With parseExpression's testInputObject's appRoleAssignments.
	{section: "SingleAppRoleAssignment", quote: "SingleAppRoleAssignment([appRoleAssignments])",
		expr: `SingleAppRoleAssignment([appRoleAssignments])`,
		in:   Object{"appRoleAssignments": Multi("Default Assignment")}, want: Single("Default Assignment")},

	{section: "Split", quote: `* **OUTPUT**:  ["PermissionSetOne", "PermissionSetTwo"]`, expr: `Split([extensionAttribute5], ",")`,
		in: Object{"extensionAttribute5": Single("PermissionSetOne, PermissionSetTwo")}, want: Multi("PermissionSetOne", "PermissionSetTwo")},

	{section: "Switch", quote: `* **OUTPUT**: "Australia/Brisbane"`,
		expr: `Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")`,
		in:   Object{"state": Single("QLD")}, want: Single("Australia/Brisbane")},
	{section: "Switch", quote: `the Switch function always converts it to lowercase string "true" before comparison with **key** parameters`,
		expr: `Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")`,
		in:   Object{"statusFlag": Single("TRUE")}, want: Single("1")},
	{section: "Switch", quote: "if the **source** attribute `statusFlag` is empty, the Switch function returns the value 0",
		expr: `Switch([statusFlag], "Default Value", "true", "1", "", "0")`,
		in:   Object{"statusFlag": Single("")}, want: Single("0")},
	{section: "Switch", quote: `IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))`,
		expr: `IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))`,
		in:   Object{"companyName": Single("Company B")}, want: Single("B")},
	{section: "Switch", quote: `IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))`,
		expr: `IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))`,
		in:   Object{"companyName": Single("Contoso")}, want: Single("External")},
	// The same caution writes the Switch it replaces in lower case, which
	// the page's own rule refuses: "The syntax is case-sensitive".
	{section: "Switch", quote: "The syntax is case-sensitive",
		expr: `switch([companyName], "External", "Company A", "A", "Company B", "B")`,
		in:   Object{"companyName": Single("Company A")}, err: `unknown function "switch" (names are case-sensitive: Switch)`},

	{section: "ToLower", quote: `* **OUTPUT**: "john.smith@contoso.com"`,
		expr: `ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))`,
		in:   Object{"PreferredFirstName": Single("John"), "PreferredLastName": Single("Smith")}, want: Single("john.smith@contoso.com")},

	{section: "Word", quote: `Returns "brown".`, expr: `Word("The quick brown fox",3," ")`, want: Single("brown")},
	{section: "Word", quote: `Returns "has".`, expr: `Word("This,string!has&many separators",3,",!&#")`, want: Single("has")},
	{section: "Word", quote: "If number < 1, returns empty string.", expr: `Word("The quick brown fox",0," ")`, built: true, want: Single("")},
	{section: "Word", quote: "If string is null, returns empty string.", expr: `Word([missing],1," ")`, built: true, want: Single("")},
	{section: "Word", quote: "If string contains less than number words", expr: `Word("The quick brown fox",5," ")`, built: true, want: Single("")},

	{section: "Strip known domain name", quote: `* **OUTPUT**:  "john.doe"`, expr: `Replace([mail], "@contoso.com", , ,"", ,)`,
		in: Object{"mail": Single("john.doe@contoso.com")}, want: Single("john.doe")},
	{section: "Generate user alias by concatenating parts of first and last name", quote: `* **OUTPUT**:  "JohDoe"`,
		expr: `Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))`,
		in:   Object{"givenName": Single("John"), "surname": Single("Doe")}, want: Single("JohDoe")},
	{section: "Add a comma between last name and first name.", quote: `* **OUTPUT**:  "Doe, John"`,
		expr: `Join(", ", "", [surname], [givenName])`,
		in:   Object{"givenName": Single("John"), "surname": Single("Doe")}, want: Single("Doe, John")},
}

// pageExpr returns the page's expression that starts with prefix.
func pageExpr(prefix string) string {
	for _, e := range pageExpressions {
		if strings.HasPrefix(e, prefix) {
			return e
		}
	}
	panic("no page expression starts with " + prefix)
}

// ticksAfter2012 is t as an Active Directory date, counted from the
// page's DateFromNum example: 129699324000000000 is 2012-01-01 23:00 UTC.
func ticksAfter2012(t time.Time) string {
	return strconv.FormatInt(129699324000000000+int64(t.Sub(utc(2012, 1, 1, 23, 0, 0))/100), 10)
}

func TestEvaluatePageExamples(t *testing.T) {
	page := readReferencePage(t)
	for _, tc := range pageCases {
		name := tc.section + ": " + tc.expr
		if !strings.Contains(page, "### "+tc.section) {
			t.Errorf("%s: no section %q on the page", name, tc.section)
		}
		if !strings.Contains(page, tc.quote) {
			t.Errorf("%s: %q is not on the page", name, tc.quote)
		}
		if !tc.built && !strings.Contains(page, tc.expr) {
			t.Errorf("%s: the expression is not on the page", name)
		}
		n, err := Parse(tc.expr)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		opts := &EvalOptions{
			Now:      func() time.Time { return tc.now },
			IsUnique: func(v string) bool { return !contains(tc.taken, v) },
		}
		got, err := Evaluate(n, tc.in, opts)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: got %v, %v; want an error with %q", name, got, err, tc.err)
			}
		case err != nil:
			t.Errorf("%s: %v", name, err)
		case !reflect.DeepEqual(got, tc.want):
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestEvaluatePageMismatches: two examples whose outputs the page gets
// wrong, and why this evaluator's differ.
func TestEvaluatePageMismatches(t *testing.T) {
	page := readReferencePage(t)
	// Replace, example 3: "[()\\s-]+" removes parentheses, blanks and
	// dashes from "+1 (999) 888-7777"; the page's output also lacks the
	// "+", which the pattern does not match.
	const mobile = `Replace([mobile], , "[()\\s-]+", , "", , )`
	if !strings.Contains(page, "* **Expression output:** 19998887777") {
		t.Fatal("the page's output for the mobile example is not as saved")
	}
	v := evaluate(t, mobile, Object{"mobile": Single("+1 (999) 888-7777")}, nil)
	if !reflect.DeepEqual(v, Single("+19998887777")) {
		t.Errorf("%s = %v, want \"+19998887777\" (the page writes 19998887777)", mobile, v)
	}

	// "Generate an ID for a user based on their Microsoft Entra object
	// ID": the page's output does not come from its input (the input GUID
	// is a placeholder; the output's hexadecimal starts 64 30 35 65, "d05e",
	// where the input's starts "00aa"). The value here is the page's recipe
	// applied to the page's input: 1000, then the UTF-8 hexadecimal of the
	// object ID with its letters removed.
	const id = `Join("", 1000, Replace(ConvertToUTF8Hex([objectId]), , "[a-zA-Z_]*", , "", , ))`
	const objectID = "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"
	if !strings.Contains(page, `* **INPUT**: "`+objectID+`"`) ||
		!strings.Contains(page, `* **OUTPUT**:  "100064303565343762312333930392343435612626135652636136306362633065346234"`) {
		t.Fatal("the page's object ID example is not as saved")
	}
	want := "1000" + strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'F' {
			return -1
		}
		return r
	}, strings.ToUpper(hexOf(objectID)))
	if v := evaluate(t, id, Object{"objectId": Single(objectID)}, nil); !reflect.DeepEqual(v, Single(want)) {
		t.Errorf("%s = %v, want %q", id, v, want)
	}
}

func hexOf(s string) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&15])
	}
	return b.String()
}

func evaluate(t *testing.T, expr string, in Object, opts *EvalOptions) Value {
	t.Helper()
	n, err := Parse(expr)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Evaluate(n, in, opts)
	if err != nil {
		t.Fatalf("Evaluate(%q): %v", expr, err)
	}
	return v
}
