module faultline/bench/porcupine

go 1.19

require github.com/anishathalye/porcupine v0.0.0

// The bench points this at a local checkout (PORCUPINE_SRC) with `go mod edit -replace` in a temp copy.
