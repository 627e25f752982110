module leakshim.example/cgo

go 1.19
