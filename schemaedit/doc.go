// Package schemaedit changes a job's synchronization schema as code:
// typed edits of attribute mappings and scoping filters that leave
// everything else exactly as Graph sent it, the differences between two
// schemas as a list of typed changes, and a fingerprint that says whether
// a schema is still the one a change was planned against.
//
// Graph replaces the whole schema on PUT (Client.UpdateJobSchema), so a
// change starts from the schema GetJobSchema returns and touches only what
// must change:
//
//	s, err := client.GetJobSchema(ctx, spID, jobID)
//	om, err := schemaedit.FindObjectMapping(s, "USER_OUTBOUND_USER", "User", "User")
//	err = schemaedit.SetMapping(om, schemaedit.Expression("displayName", `Join(" ", [givenName], [surname])`))
//	changes, err := schemaedit.Diff(*before, *s) // what the PUT will change
//	err = client.UpdateJobSchema(ctx, spID, jobID, *s)
//
// # Edits
//
// FindObjectMapping finds an object mapping by its rule (ID or name) and
// its source and target object names; GetMapping, AddMapping,
// ReplaceMapping, SetMapping and RemoveMapping read and change its
// attribute mappings, keyed by target attribute; SetScopeGroup and
// RemoveScopeGroup its scoping filter. A Mapping is an attribute mapping
// as the Azure portal shows it: Direct (an attribute of the source
// object), Constant or Expression, with its default value, flow
// behaviour, flow type and matching priority. An Expression's text is
// parsed with package expression and stored with the tree Graph stores
// (expression.ToSource); one that does not parse is refused with the
// *expression.SyntaxError, and nothing changes.
//
// A schema file edited by hand has its expressions changed as text, but
// Graph stores a tree beside each text (and documents the text as the
// tree's equivalent); TreesFromText rebuilds each tree that no longer
// says what its text says.
//
// An edit changes the members it is about and nothing else: a mapping
// replaced keeps its position, the members Graph sent that the models do
// not name (@odata.type) and, when its source is unchanged, the source
// tree as Graph sent it; a mapping or a filter group added is written
// with every member Graph writes (nulls included), so that it reads like
// the rest of the schema.
//
// # Differences
//
// Diff lists what differs between two schemas: rules, object mappings,
// attribute mappings, scoping filters, directories, objects and attribute
// definitions added, removed or changed, each naming where it is, an
// attribute mapping's old and new value side by side. Everything that
// differs in the JSON the schemas encode to is listed, and nothing else
// (the schema's version, which Graph sets, and @odata.context aside), in
// a stable order; Text writes the list for a person, and a Change encodes
// to JSON.
//
// # Why a package of its own
//
// Package expression reads and checks expressions against
// models.SynchronizationSchema, so it imports models; models cannot import
// expression back, yet adding an Expression mapping needs its parser, and
// a readable difference needs its printer. The edits and the difference
// live here, above both, and models stays the lossless wire format.
package schemaedit
