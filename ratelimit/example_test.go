package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/graphsync/graphsync/ratelimit"
)

// At most 2 calls start in any second: the third waits until the first
// one's second is over.
func Example() {
	lim := ratelimit.New(2, time.Second, ratelimit.WithMargin(0))
	start := time.Now()
	for i := range 3 {
		if err := lim.Wait(context.Background()); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("call %d waited a window: %v\n", i+1, time.Since(start) >= time.Second)
	}
	// Output:
	// call 1 waited a window: false
	// call 2 waited a window: false
	// call 3 waited a window: true
}

// A caller whose context ends while it waits gives up its place, and a
// context that cannot last until a start is possible fails at once.
func ExampleLimiter_Wait() {
	lim := ratelimit.New(1, time.Hour)
	lim.Wait(context.Background()) // the hour's only start

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := lim.Wait(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	fmt.Println(err)
	// Output:
	// true
	// ratelimit: the wait would pass the context's deadline: context deadline exceeded
}
