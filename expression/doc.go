// Package expression reads, checks and evaluates the expressions of
// attribute mappings offline, as Microsoft documents them in "Reference
// for writing expressions for attribute mappings in Microsoft Entra ID"
// (the reference page below) and as Graph stores them
// (attributeMappingSource) and answers them (parseExpression). Graph's
// parseExpression is the online verdict; this package is the offline one,
// in Graph's terms, for previews, for checks before a schema is sent, and
// for the fake Graph.
//
//	n, err := expression.Parse(`Append([userPrincipalName], ".test")`)
//	problems := expression.Check(n)                 // unknown functions, arity
//	v, err := expression.Evaluate(n, input, nil)    // a preview on sample data
//	src := expression.ToSource(n)                   // the tree Graph stores
//	findings := expression.CheckSchema(schema)      // every mapping of a schema
//
// # Grammar
//
// White space (blanks, tabs, line breaks) may stand between any two
// tokens.
//
//	expression = argument
//	argument   = operand [ compare operand ]
//	operand    = call | attribute | string | number | name
//	call       = identifier "(" [ slot { "," slot } ] ")"
//	slot       = [ argument ]                    (empty: an omitted argument)
//	attribute  = "[" one or more of any character but "]" "]"
//	string     = `"` { any character but `"` and `\` | `\\` | `\"` } `"`
//	number     = [ "-" ] digit { digit } | "&H" hexdigit { hexdigit }
//	name       = identifier                      (not followed by "(")
//	identifier = letter { letter | digit }       (ASCII letters and "_")
//	compare    = "=" | "<>" | "<" | "<=" | ">" | ">="
//
// The page's syntax overview names three kinds of argument (attributes,
// string constants, functions); its examples use four more, which the
// grammar accepts: omitted arguments (Replace([mail], "@contoso.com", , ,
// "", ,)), unquoted numbers (Mid([givenName], 1, 3), DateAdd("d", -10,
// …), the hexadecimal &HF7 of BitAnd), the bare name vbBinaryCompare of
// InStr, and comparisons (IIF([country]="USA", …), CBool([a] = [b]),
// DateDiff(…) > 5). Comparisons do not chain and there is no AND or OR,
// as the page says of IIF. A backslash in a string must escape a
// backslash or a quote, as the page requires: "\d" is a syntax error, the
// page's own patterns write "\\d". Function names are case-sensitive, as
// the page says of the whole syntax; attribute names are matched exactly.
// Calls and comparisons nest at most MaxDepth deep.
//
// # Values
//
// An expression evaluates to null, one string, several strings (a
// multi-valued attribute, or Split's result), or the mark with which
// IgnoreFlowIfNullOrEmpty drops the attribute from the flow (which
// carries through whatever encloses it). Numbers, dates and booleans are
// strings, as the page writes them: True and False, 7, "3/16/2020 7:00:00
// AM" (the page's M/d/yyyy h:mm:ss tt, always in UTC). The input is an
// Object: attribute name to Value, as parseExpression's testInputObject
// gives a string or a collection of strings; an attribute it lacks is
// null. A function that takes one string and is given a multi-valued
// value with several items is an error.
//
// Functions return null for a null source unless the page says otherwise
// (Left and Word return "", Count 0, CBool False, IsNull and Not True,
// Coalesce and Switch look further, Join leaves it out). Evaluate refuses
// a value larger than EvalOptions.MaxValueBytes as soon as a function has
// built it (Replace and Join before), and never panics.
//
// # Readings of the reference page
//
// Where the page is not exact, the reading closest to its examples:
//
//   - Item counts from 1, as its example does ("Item([proxyAddresses], 1)
//     returns the first item"); index 0, which "shouldn't be used", is an
//     error.
//   - Join leaves out empty sources: the page's Join(", ", "", [surname],
//     [givenName]) gives "Doe, John".
//   - Split trims blanks around each item: the page splits
//     "PermissionSetOne, PermissionSetTwo" at "," into "PermissionSetOne"
//     and "PermissionSetTwo".
//   - PCase lowers the rest of every word: the page's "PABLO GONSALVES
//     (SECOND)" gives "Pablo Gonsalves (Second)", where .NET's ToTitleCase
//     keeps words in capitals. Its default separators are the Unicode
//     categories the page lists (spaces, controls, format characters,
//     punctuation, symbols).
//   - DateDiff counts d, h, n and s as elapsed time truncated, m and yyyy
//     as calendar boundaries crossed, ww as the Sundays between: this is
//     what reproduces every row of the page's table (-3449, -493, -113,
//     -9 for the same two dates).
//   - Dates without an offset are UTC (.NET would take the server's
//     local time). CDate and the other date functions read ISO 8601
//     (including Workday's 2020-03-16-07:00) and the page's own
//     M/d/yyyy h:mm:ss tt; FormatDateTime reads and writes .NET custom
//     format strings (and the one-letter standard ones) in the invariant
//     culture, where a letter that is no specifier, such as the Z of
//     "yyyyMMddHHmmss.fZ", is literal.
//   - IIF fails, with an error, when an attribute its condition reads is
//     null or empty: the page's "known limitations" say the condition
//     check fails then, and list IIF(IsPresent([country]), …) among the
//     unsupported forms. Switch, the page's workaround, matches a null
//     source with the key "".
//   - = and <> compare strings exactly; the other comparisons compare
//     numbers as numbers and dates as dates. A comparison evaluates to
//     True or False.
//   - Not returns False only for True (any case), True for anything else,
//     null included: "If source value is True, returns False. Otherwise,
//     returns True."
//   - Replace chooses its behaviour by the arguments given, in the page's
//     five combinations; others are an error. Its patterns are Go's RE2,
//     which reads the page's patterns but not .NET's lookarounds or
//     backreferences.
//   - Coalesce's defaultValue is its last source (the same rule picks it);
//     its parameters are all "source".
//   - RandomString draws from Windows' password classes (ASCII);
//     Length at most 256; the four minimums may not exceed Length.
//   - InStr's compareType is vbBinaryCompare (or 0, the default) or
//     vbTextCompare (or 1); positions count characters from 1.
//   - Left, Mid, InStr and Word count characters (runes), not bytes.
//   - ToLower and ToUpper use invariant case rules, Turkish ones for the
//     cultures tr and az.
//   - NormalizeDiacritics replaces the letters of the page's table and
//     drops combining diacritical marks (U+0300 to U+036F).
//
// # What differs from Graph offline
//
//   - Now, Guid and RandomString read EvalOptions.Now and .Rand, so that
//     tests are exact.
//   - SelectUniqueValue asks EvalOptions.IsUnique whether a value is free
//     in the target directory (nil: every value is); none free is an
//     error, where the service escrows the entry.
//   - AppRoleAssignmentsComplex (and AppRoleAssignments) return the app
//     role assignments the input holds, as strings, multi-valued; Graph
//     builds complex role objects from the tenant's assignments.
//     SingleAppRoleAssignment returns the first.
//   - DefaultDomain returns EvalOptions.DefaultDomain; there is no tenant
//     offline.
//   - Redact returns its value: Graph only hides it in its logs.
//   - IsNothing and Prepend, which Graph's list of functions names but the
//     page does not document, are read as IsNull and as the prefix followed
//     by the source.
//   - How Graph stores a comparison in an attributeMappingSource is not
//     documented; ToSource writes a Function named by its operator, with
//     parameters left and right, and FromSource reads that back.
//
// The functions table (Functions) holds the page's 43 functions with their
// parameters, and the 4 more that Graph's documented list of functions
// names; see Functions for where each name comes from.
//
// # Sources
//
// The examples the tests are written from are saved, verbatim, in
// testdata/ with their repositories, paths and commits in
// testdata/SOURCES.md.
package expression
