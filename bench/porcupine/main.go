// Checks a Faultline JSON-lines history with Porcupine, for bench/checker-scale.bench.ts: the same file,
// the same register semantics (info writes may apply late or never; failed operations had no effect).
// Prints one JSON line: {"verdict": ..., "ms": ...}.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/anishathalye/porcupine"
)

type record struct {
	Id       int     `json:"id"`
	Process  string  `json:"process"`
	Op       string  `json:"op"`
	Key      string  `json:"key"`
	Value    *string `json:"value"`
	Expected *string `json:"expected"`
	Result   *string `json:"result"`
	Invoke   float64 `json:"invoke"`
	Complete float64 `json:"complete"`
	Outcome  string  `json:"outcome"`
}

// A register that may be absent.
type state struct {
	present bool
	value   string
}

type input struct {
	key, op  string
	value    state
	expected state
	info     bool
}

func opt(s *string) state {
	if s == nil {
		return state{}
	}
	return state{true, *s}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: porcupine-check <history.jsonl> [timeout-seconds]")
		os.Exit(2)
	}
	timeout := 600 * time.Second
	if len(os.Args) > 2 {
		var s float64
		fmt.Sscan(os.Args[2], &s)
		timeout = time.Duration(s * float64(time.Second))
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	started := time.Now()
	var ops []porcupine.Operation
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if r.Outcome == "fail" {
			continue
		}
		in := input{key: r.Key, op: r.Op, value: opt(r.Value), expected: opt(r.Expected), info: r.Outcome == "info"}
		ret := int64(math.Round(r.Complete * 1e6))
		if in.info {
			// Porcupine has no "may never apply": an unknown write may apply at any time after it began.
			// Applying it after everything else is the same as never, so an infinite return covers both.
			ret = math.MaxInt64
		}
		ops = append(ops, porcupine.Operation{ClientId: 0, Input: in, Call: int64(math.Round(r.Invoke * 1e6)), Output: opt(r.Result), Return: ret})
	}
	model := porcupine.NondeterministicModel{
		Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
			byKey := map[string][]porcupine.Operation{}
			var order []string
			for _, o := range h {
				k := o.Input.(input).key
				if _, ok := byKey[k]; !ok {
					order = append(order, k)
				}
				byKey[k] = append(byKey[k], o)
			}
			out := make([][]porcupine.Operation, 0, len(order))
			for _, k := range order {
				out = append(out, byKey[k])
			}
			return out
		},
		Init: func() []interface{} { return []interface{}{state{}} },
		Step: func(s, i, o interface{}) []interface{} {
			st, in := s.(state), i.(input)
			switch in.op {
			case "get":
				if st == o.(state) {
					return []interface{}{st}
				}
				return nil
			case "put":
				return []interface{}{in.value}
			case "delete":
				return []interface{}{state{}}
			case "cas":
				if st != in.expected {
					if in.info {
						return []interface{}{st} // an unknown cas whose comparison failed changed nothing
					}
					return nil
				}
				if in.info {
					return []interface{}{in.value, st} // an unknown cas may or may not have swapped
				}
				return []interface{}{in.value}
			}
			return nil
		},
		Equal: func(a, b interface{}) bool { return a.(state) == b.(state) },
	}
	res := porcupine.CheckOperationsTimeout(model.ToModel(), ops, timeout)
	verdict := map[porcupine.CheckResult]string{porcupine.Ok: "linearizable", porcupine.Illegal: "not-linearizable", porcupine.Unknown: "unknown"}[res]
	fmt.Printf("{\"verdict\":%q,\"ms\":%.1f,\"ops\":%d}\n", verdict, float64(time.Since(started).Microseconds())/1000, len(ops))
}
