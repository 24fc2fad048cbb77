//go:build unix

package jsonl

import "syscall"

// oNoFollow makes opening a path whose last element is a symbolic link
// fail (ELOOP), atomically.
const oNoFollow = syscall.O_NOFOLLOW

// refuseLink has nothing to do: O_NOFOLLOW refuses the link.
func refuseLink(string) error { return nil }
