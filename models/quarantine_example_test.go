package models_test

import (
	"fmt"

	"github.com/graphsync/graphsync/models"
)

func ExampleQuarantineReason_Info() {
	info := models.QuarantineTooManyDeletes.Info()
	fmt.Println(info.Listed, info.Explained)
	fmt.Println(info.Meaning)
	fmt.Println(models.QuarantineIngestionInterrupted.Info().Meaning)
	// Output:
	// true true
	// The accidental deletions prevention threshold was met: a cycle would delete or disable more objects than the job's deletion threshold allows (Graph lists the value without a meaning; Entra's accidental deletions page says such a job goes into quarantine).
	// Graph lists the value without a meaning, and Microsoft's documentation does not explain it.
}

func ExampleQuarantineReasons() {
	for _, r := range models.QuarantineReasons() {
		fmt.Println(r, r.Info().Explained)
	}
	// Output:
	// EncounteredBaseEscrowThreshold false
	// EncounteredTotalEscrowThreshold false
	// EncounteredEscrowProportionThreshold true
	// EncounteredQuarantineException true
	// Unknown false
	// QuarantinedOnDemand true
	// TooManyDeletes true
	// IngestionInterrupted false
}
