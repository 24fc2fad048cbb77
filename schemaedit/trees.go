package schemaedit

import (
	"github.com/graphsync/graphsync/expression"
	"github.com/graphsync/graphsync/models"
)

// TreesFromText makes every attribute mapping of s whose expression text
// parses but is not its source tree (expression.SameTree; CheckSchema
// reports it as TreeMismatch) say what its text says: the source tree is
// rebuilt from the text, as Expression mappings are written (the text in
// canonical form), keeping the source's members the models do not name.
// This is what a schema file edited by hand needs: the text is what a
// person edits, the tree what Graph stores. It returns how many trees it
// rebuilt; texts that do not parse are left as they are (CheckSchema
// reports them), and so is every other mapping. The error is a mapping's
// Extra holding something that is not JSON.
func TreesFromText(s *models.SynchronizationSchema) (int, error) {
	n := 0
	for i := range s.SynchronizationRules {
		r := &s.SynchronizationRules[i]
		for j := range r.ObjectMappings {
			om := &r.ObjectMappings[j]
			for k := range om.AttributeMappings {
				am := &om.AttributeMappings[k]
				if am.Source == nil || am.Source.Expression == "" {
					continue
				}
				node, err := expression.Parse(am.Source.Expression)
				if err != nil || expression.SameTree(node, *am.Source) {
					continue
				}
				o, err := members(*am)
				if err != nil {
					return n, err
				}
				old, err := members(*am.Source)
				if err != nil {
					return n, err
				}
				src := sourceJSON(expression.ToSource(node))
				for name, v := range old {
					if _, ok := src[name]; !ok {
						src[name] = v
					}
				}
				o["source"] = raw(src)
				var rebuilt models.AttributeMapping
				if err := rebuild(o, &rebuilt); err != nil {
					return n, err
				}
				*am = rebuilt
				n++
			}
		}
	}
	return n, nil
}
