package graphtest

import "strings"

// The schema of an API-driven inbound provisioning job (templates API2AAD
// and API2AD): one rule from the directory "API", whose object is the
// SCIM user bulkUpload sends, to the users of Entra ID or Active
// Directory. The API directory lists every attribute the job accepts
// (what Entra's "Edit attribute list for API" shows): the SCIM core and
// enterprise User attributes, whether a mapping reads them or not. A
// schema PUT with more (custom extension attributes such as
// urn:ietf:params:scim:schemas:extension:contoso:1.0:User:HireDate)
// accepts those too.

// InboundSourceDirectory and InboundSourceObject name the directory and
// the object of an API-driven inbound job's rule.
const (
	InboundSourceDirectory = "API"
	InboundSourceObject    = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// InboundRuleID is the ID of the rule of API-driven inbound jobs.
const InboundRuleID = "7d7a3b4e-3f1c-4b6e-9a51-2c0a6a1f9e3d"

// inboundAttributes are the attributes of the API directory's object.
var inboundAttributes = func() []string {
	out := []string{"externalId", "userName", "active", "displayName", "nickName", "title", "userType",
		"preferredLanguage", "locale", "timezone", "profileUrl",
		"name.givenName", "name.familyName", "name.middleName", "name.formatted", "name.honorificPrefix", "name.honorificSuffix"}
	for _, typ := range []string{"work", "home", "other"} {
		out = append(out, `emails[type eq "`+typ+`"].value`)
	}
	for _, typ := range []string{"work", "mobile", "fax", "home", "other"} {
		out = append(out, `phoneNumbers[type eq "`+typ+`"].value`)
	}
	for _, typ := range []string{"work", "home", "other"} {
		for _, sub := range []string{"formatted", "streetAddress", "locality", "region", "postalCode", "country"} {
			out = append(out, `addresses[type eq "`+typ+`"].`+sub)
		}
	}
	const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
	for _, a := range []string{"employeeNumber", "costCenter", "organization", "division", "department", "manager"} {
		out = append(out, ent+a)
	}
	return out
}()

// inboundRules are the rules of an API-driven inbound template.
func inboundRules(templateID string) []Rule {
	target := "Azure Active Directory"
	if strings.EqualFold(templateID, "API2AD") {
		target = "Active Directory"
	}
	return []Rule{{ID: InboundRuleID, Name: strings.ToUpper(templateID), SourceDirectoryName: InboundSourceDirectory,
		TargetDirectoryName: target, Objects: []ObjectMapping{{SourceObjectName: InboundSourceObject, TargetObjectName: "User"}}}}
}

// inboundAttributeMappings are the mappings of the inbound rule's object,
// as the template has them: externalId matched to employeeId.
func inboundAttributeMappings() []wireAttributeMapping {
	const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
	return []wireAttributeMapping{
		mapAttr("employeeId", attribute("externalId"), 1),
		mapAttr("userPrincipalName", attribute("userName"), 0),
		mapAttr("accountEnabled", attribute("active"), 0),
		mapAttr("displayName", attribute("displayName"), 0),
		mapAttr("givenName", attribute("name.givenName"), 0),
		mapAttr("surname", attribute("name.familyName"), 0),
		mapAttr("mail", attribute(`emails[type eq "work"].value`), 0),
		mapAttr("jobTitle", attribute("title"), 0),
		mapAttr("employeeType", attribute("userType"), 0),
		mapAttr("department", attribute(ent+"department"), 0),
		mapAttr("manager", attribute(ent+"manager"), 0),
	}
}

// templateRules are the rules a template starts with.
func templateRules(templateID string) []Rule {
	if isAPIDriven(templateID) {
		return inboundRules(templateID)
	}
	return DefaultRules(targetDirectory(templateID))
}

// sourceObjectAttributes are the attributes a directory's object lists
// besides those its mappings read.
func sourceObjectAttributes(object string) []string {
	if strings.EqualFold(object, InboundSourceObject) {
		return inboundAttributes
	}
	return nil
}
